import { describe, expect, it, vi } from 'vitest';
import type { IncomingMessage } from '#ingestion';
import type { SelfAuditRecord } from './access-events.js';
import { AuditTrail } from './audit-trail.js';

/** A stand-in for the append port: the trail's batching is pure logic over it. */
function sink(options: { failTimes?: number } = {}) {
  const batches: string[][] = [];
  let failures = options.failTimes ?? 0;
  let release: (() => void) | null = null;
  let gate: Promise<void> | null = null;
  return {
    batches,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    letGo() {
      release?.();
      gate = null;
    },
    append: async (messages: IncomingMessage[]) => {
      if (gate) await gate;
      if (failures > 0) {
        failures--;
        throw new Error('database away');
      }
      batches.push(messages.map((m) => (JSON.parse(m.body.toString('utf8')) as { id: string }).id));
      return { rejections: [] };
    },
  };
}

function record(n: number): SelfAuditRecord {
  return {
    id: `r${n}`,
    time: '2026-03-01T10:00:00.000Z',
    kind: 'read',
    caller: { subject: 'local:alice', principal: 'lgr_0123456789abcdef', keyId: '0123456789abcdef', accountable: true },
    action: 'ledger:SearchEvents',
    target: { type: 'api_request', id: 'GET /v1/events' },
    outcome: 'success',
    reason: null,
    sourceIp: '127.0.0.1',
    userAgent: null,
    request: { method: 'GET', path: '/v1/events', status: 200, requestId: `q${n}` },
  };
}

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `ledger-audit-r${from + i}`);

describe('AuditTrail', () => {
  it('appends records in batches, in order, and nothing twice', async () => {
    const s = sink();
    const trail = new AuditTrail(s.append, { flushIntervalMs: 60_000, maxBatch: 4 });
    for (let i = 0; i < 10; i++) trail.record(record(i));
    expect(await trail.flush()).toBe(0);
    expect(s.batches.flat()).toEqual(ids(0, 10));
    expect(Math.max(...s.batches.map((b) => b.length))).toBeLessThanOrEqual(4);
  });

  it('appends on its own after the flush interval', async () => {
    const s = sink();
    const trail = new AuditTrail(s.append, { flushIntervalMs: 5 });
    trail.record(record(1));
    await vi.waitFor(() => expect(s.batches).toEqual([ids(1, 2)]), { timeout: 5_000 });
  });

  it('keeps a failed batch and appends it, in order, once the database answers again', async () => {
    const s = sink({ failTimes: 2 });
    const errors: unknown[] = [];
    const trail = new AuditTrail(s.append, { flushIntervalMs: 1, maxBatch: 2, onError: (error) => errors.push(error) });
    for (let i = 0; i < 5; i++) trail.record(record(i));
    expect(await trail.flush()).toBe(0);
    expect(s.batches.flat()).toEqual(ids(0, 5));
    expect(errors).toHaveLength(2);
  });

  it('a flush waits for calls still being answered', async () => {
    const s = sink();
    const trail = new AuditTrail(s.append, { flushIntervalMs: 60_000 });
    const complete = trail.begin();
    const flushed = trail.flush();
    setTimeout(() => complete(record(7)), 20);
    await flushed;
    expect(s.batches.flat()).toEqual(ids(7, 8));
  });

  it('holds callers back when too many records wait, instead of growing or dropping', async () => {
    const s = sink();
    s.hold();
    const trail = new AuditTrail(s.append, { flushIntervalMs: 1, maxBatch: 2, maxPending: 3 });
    for (let i = 0; i < 6; i++) trail.record(record(i));
    let admitted = false;
    const admission = trail.admit().then(() => (admitted = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(admitted).toBe(false);
    s.letGo();
    await admission;
    expect(trail.pendingCount).toBeLessThan(3);
    await trail.flush();
    expect(s.batches.flat()).toEqual(ids(0, 6));
  });

  it('after close, appends each record at once and reports what it could not append', async () => {
    const s = sink();
    const trail = new AuditTrail(s.append, { flushIntervalMs: 60_000 });
    trail.record(record(1));
    expect(await trail.close()).toBe(0);
    trail.record(record(2));
    await vi.waitFor(() => expect(s.batches.flat()).toEqual(ids(1, 3)), { timeout: 5_000 });
    const down = new AuditTrail(sink({ failTimes: 1_000 }).append, { flushIntervalMs: 1 });
    down.record(record(3));
    expect(await down.close(0, 50)).toBe(1);
  });
});
