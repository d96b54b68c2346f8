import { describe, expect, it } from 'vitest';
import { normalizeMessage } from '#sources';
import { apiKeyChangeEvent, clean, selfAuditEvent, type SelfAuditRecord } from './access-events.js';

function normalize(event: Record<string, unknown>) {
  const result = normalizeMessage({ body: Buffer.from(JSON.stringify(event), 'utf8'), headers: {}, declaredFormat: 'canonical' });
  expect(result.rejected).toEqual([]);
  expect(result.events).toHaveLength(1);
  return result.events[0]!;
}

const read: SelfAuditRecord = {
  id: '9b7e3f0e-0d7e-4a59-a2f6-1c3a2b4d5e6f',
  time: '2026-03-01T10:00:00.123Z',
  kind: 'read',
  caller: { subject: 'okta:alice@example.com', principal: 'lgr_0123456789abcdef', keyId: '0123456789abcdef', accountable: true },
  action: 'ledger:GetSubjectActivity',
  target: { type: 'subject', id: 'arn:aws:iam::111122223333:root' },
  outcome: 'success',
  reason: null,
  sourceIp: '::ffff:10.1.2.3',
  userAgent: 'curl/8.5.0',
  request: { method: 'GET', path: '/v1/subjects/arn%3Aaws%3Aiam%3A%3A111122223333%3Aroot/activity?limit=5', status: 200, requestId: 'r-1' },
};

describe('self-audit events', () => {
  it('are canonical v1 events attributed to the key owner, with the caller address and the request', () => {
    const event = normalize(selfAuditEvent(read));
    expect(event).toMatchObject({
      id: `ledger-audit-${read.id}`,
      category: 'activity',
      type: 'activity.ledger_read',
      time: read.time,
      actor: { subject: 'okta:alice@example.com', principal: 'lgr_0123456789abcdef', kind: 'human', attribution: 'direct', credential_id: 'lgr_0123456789abcdef' },
      authentication: { factors: [{ type: 'possession', method: 'api_key' }], mfa: false },
      action: 'ledger:GetSubjectActivity',
      target: { type: 'subject', id: 'arn:aws:iam::111122223333:root' },
      outcome: 'success',
      source: { ip: '10.1.2.3', user_agent: 'curl/8.5.0' },
      origin: { system: 'ledger' },
    });
    expect(JSON.parse(event.raw)).toEqual({ request_id: 'r-1', method: 'GET', path: read.request.path, status: 200, key: 'lgr_0123456789abcdef' });
  });

  it('record refused callers as unknown and unresolved, without a credential to chase', () => {
    const event = normalize(
      selfAuditEvent({
        ...read,
        caller: { subject: 'unknown', principal: 'lgr_ffffffffffffffff', keyId: null, accountable: false },
        outcome: 'failure',
        reason: 'unauthenticated: unknown API key',
        request: { ...read.request, status: 401 },
      }),
    );
    expect(event.actor).toMatchObject({ subject: 'unknown', principal: 'lgr_ffffffffffffffff', kind: 'unknown', attribution: 'unresolved', credential_id: null });
    expect(event.authentication).toBeNull();
    expect(event).toMatchObject({ outcome: 'failure', outcome_reason: 'unauthenticated: unknown API key' });
  });

  it('stay storable whatever the caller sent: NUL, lone surrogates, huge values, a bad address', () => {
    const hostile = `x\u0000y\uD800z${'é'.repeat(5000)}`;
    const event = normalize(
      selfAuditEvent({
        ...read,
        target: { type: 'subject', id: hostile },
        userAgent: hostile.repeat(3),
        sourceIp: 'not-an-ip',
        request: { ...read.request, path: `/v1/events?subject=${hostile}` },
      }),
    );
    expect(event.target!.id).not.toContain('\u0000');
    expect(event.target!.id.startsWith('x\uFFFDy\uFFFDz')).toBe(true);
    expect(event.target!.id.length).toBeLessThanOrEqual(2048);
    expect(event.source.ip).toBeNull();
    expect(event.source.user_agent!.length).toBeLessThanOrEqual(8192);
  });

  it('clean() keeps ordinary text as it is and never splits a surrogate pair', () => {
    expect(clean("x' OR '1'='1; --", 100)).toBe("x' OR '1'='1; --");
    expect(clean('', 10)).toBe('-');
    const cut = clean(`${'a'.repeat(8)}😀😀`, 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
  });
});

describe('API key change events', () => {
  it('record who created or revoked which key for whom, with deterministic ids', () => {
    const change = {
      keyId: '0123456789abcdef',
      owner: 'okta:alice@example.com',
      scopes: ['events:read' as const],
      actor: 'local:ops',
      time: '2026-03-01T10:00:00.000Z',
      host: 'box-1',
    };
    const created = normalize(apiKeyChangeEvent({ ...change, change: 'created' }));
    expect(created).toMatchObject({
      id: 'ledger-api-key-created-0123456789abcdef',
      category: 'identity',
      type: 'identity.api_key.created',
      actor: { subject: 'local:ops', kind: 'human', attribution: 'direct' },
      action: 'ledger:CreateApiKey',
      target: { type: 'api_key', id: 'lgr_0123456789abcdef', name: 'okta:alice@example.com' },
      source: { host: 'box-1' },
      origin: { system: 'ledger' },
    });
    expect(JSON.parse(created.raw)).toMatchObject({ scopes: ['events:read'], owner: 'okta:alice@example.com' });
    const revoked = normalize(apiKeyChangeEvent({ ...change, change: 'revoked' }));
    expect(revoked).toMatchObject({ id: 'ledger-api-key-revoked-0123456789abcdef', type: 'identity.api_key.revoked', action: 'ledger:RevokeApiKey' });
  });
});
