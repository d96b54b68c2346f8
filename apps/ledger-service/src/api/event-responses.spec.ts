import { describe, expect, it } from 'vitest';
import { canonicalJson } from '#integrity';
import type { LedgerEvent } from '#domain';
import type { StoredEvent } from '#event-store';
import { toEventResponse, toPageResponse } from './event-responses.js';

const event = {
  id: 'e-1',
  time: '2026-11-30T10:00:00.000Z',
  received_at: '2026-11-30T10:00:01.000Z',
  category: 'activity',
  type: 'activity.api_call',
  actor: { subject: 'arn:aws:iam::111122223333:user/alice', principal: 'AIDA', kind: 'human', via: null, attribution: 'direct' },
  action: 's3:GetObject',
  outcome: 'success',
  source: { ip: '192.0.2.1' },
  origin: { system: 'aws-cloudtrail', kafka: null },
  raw: '{"eventName":"GetObject","note":"quotes \\" and \\\\ and é"}',
} as unknown as LedgerEvent;

const asStored = (position: number): StoredEvent => ({ position, idCollision: position === 2, reattribution: null, event, document: canonicalJson(event) });

describe('toPageResponse', () => {
  it('splices stored documents into the same JSON that serializing the response objects gives', () => {
    const reattributed: StoredEvent = {
      position: 3,
      idCollision: false,
      event: { ...event, actor: { ...event.actor, subject: 'bob' } },
      reattribution: { previousSubject: 'role-session', previousAttribution: 'unresolved', resolvedByPosition: 9 },
    };
    const page = { items: [asStored(1), asStored(2), reattributed], next: { time: event.time, position: 3 } };
    const body = JSON.parse(toPageResponse(page).text) as { items: unknown[]; next_cursor: string };
    expect(body.items).toEqual(page.items.map(toEventResponse));
    expect(typeof body.next_cursor).toBe('string');
  });

  it('gives an empty page and a null cursor as JSON', () => {
    expect(JSON.parse(toPageResponse({ items: [], next: null }).text)).toEqual({ items: [], next_cursor: null });
  });
});
