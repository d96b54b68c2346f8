import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestLedger, stratusRecords, type TestLedger } from '#test-support';

describe('POST /v1/events (HTTP ingest)', () => {
  let t: TestLedger;
  const [first, second] = stratusRecords();

  beforeAll(async () => {
    t = await startTestLedger({ databaseUrl: inject('databaseUrl'), kafkaBrokers: inject('kafkaBrokers') }, 'http_ingest', {
      LEDGER_HTTP_BODY_LIMIT_BYTES: '65536',
      LEDGER_INGEST_ENABLED: 'false',
    });
  });
  afterAll(async () => t?.close());

  const post = (body: string, query = '') =>
    t.api(`/v1/events${query}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  it('stores the good records of a delivery file and reports the bad one with its reason', async () => {
    const bad = { ...first!.record, eventID: 'bad-time', eventTime: 'yesterday-ish' };
    const body = `{"Records": [${first!.line}, ${JSON.stringify(bad)}, ${second!.line}]}`;
    const response = await post(body);
    expect(response.status).toBe(200);
    const result = (await response.json()) as Record<string, any>;
    expect(result).toMatchObject({ appended: 2, duplicates: 0, rejected: 1 });
    expect(result.rejections).toEqual([expect.objectContaining({ record_index: 1, reason: 'invalid_event_time' })]);
    // The stored raw is the record's own bytes, sliced from the file, not a re-serialization.
    const stored = (await (await t.api(`/v1/events/${first!.record.eventID}`)).json()) as Record<string, any>;
    expect(stored.raw).toBe(first!.line);
  });

  it('accepts NDJSON and counts a second delivery as duplicates', async () => {
    const response = await post(`${first!.line}\n${second!.line}\n`);
    expect(await response.json()).toMatchObject({ appended: 0, duplicates: 2, rejected: 0 });
  });

  it('refuses a body over the limit with 413 problem+json, storing nothing', async () => {
    await t.flushAudit(); // the read above is recorded in the ledger too
    const before = await t.ledger.runtime.queries.statistics();
    const response = await post(JSON.stringify({ Records: [{ ...first!.record, padding: 'x'.repeat(70_000) }] }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'payload_too_large' });
    expect((await t.ledger.runtime.queries.statistics()).events).toBe(before.events);
  });

  it('refuses an unknown declared format or query parameter with 400 naming it, reading nothing', async () => {
    const unknownFormat = await post(first!.line, '?format=smoke-signals');
    expect(unknownFormat.status).toBe(400);
    expect(await unknownFormat.json()).toMatchObject({ code: 'invalid_argument', field: 'format', detail: expect.stringContaining('aws-cloudtrail') });
    const unknownParameter = await post(first!.line, '?formt=aws-cloudtrail');
    expect(unknownParameter.status).toBe(400);
    expect(await unknownParameter.json()).toMatchObject({ code: 'invalid_argument', field: 'formt' });
    // an alias is a known name
    expect(await (await post(first!.line, '?format=CloudTrail')).json()).toMatchObject({ duplicates: 1, rejected: 0 });
  });

  it('names the body line of each rejected NDJSON record, and answers 422 when nothing was kept', async () => {
    const good = { ...first!.record, eventID: 'http-ndjson-good' };
    const partial = await post(`\n${JSON.stringify(good)}\nnot json at all\n\n${JSON.stringify({ ...good, eventID: 'http-ndjson-bad', eventTime: 'soon' })}\n`);
    expect(partial.status).toBe(200);
    expect(await partial.json()).toMatchObject({
      appended: 1,
      rejected: 2,
      rejections: [
        expect.objectContaining({ message_index: 1, line: 3, reason: 'invalid_json' }),
        expect.objectContaining({ message_index: 2, line: 5, reason: 'invalid_event_time' }),
      ],
    });
    const none = await post('still not json\n{"neither": "an event"}\n');
    expect(none.status).toBe(422);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(await none.json()).toMatchObject({
      code: 'rejected_record',
      appended: 0,
      rejected: 2,
      rejections: [expect.objectContaining({ line: 1, reason: 'invalid_json' }), expect.objectContaining({ line: 2 })],
    });
    // nothing lost: both are kept with the good one's neighbours
    const kept = await t.db.pool.query("SELECT count(*)::int AS n FROM ledger_rejections WHERE channel = 'http'");
    expect(kept.rows[0].n).toBeGreaterThanOrEqual(4);
  });

  it("refuses canonical events that claim to be the ledger's own records (no forged anomalies or audit records)", async () => {
    const stored = (await (await t.api(`/v1/events/${first!.record.eventID}`)).json()) as Record<string, any>;
    const { ledger: _placement, received_at: _received, ...event } = stored;
    const forged = { ...event, id: 'forged-audit-record', origin: { ...event.origin, system: 'ledger', kafka: null } };
    const refused = await post(JSON.stringify(forged), '?format=canonical');
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ code: 'rejected_record', appended: 0, rejected: 1, rejections: [expect.objectContaining({ reason: 'reserved_origin' })] });
    // The same event under its own origin is accepted: only the reserved origin is refused.
    const honest = (await (await post(JSON.stringify({ ...forged, id: 'honest-event', origin: { ...forged.origin, system: 'my-app' } }), '?format=canonical')).json()) as Record<string, any>;
    expect(honest).toMatchObject({ appended: 1, rejected: 0 });
  });
});
