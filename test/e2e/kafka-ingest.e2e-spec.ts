import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { messageBodies, readSourceFiles } from '#ingestion';
import { createProducer } from '#messaging';
import { publishMessages } from '../../apps/ledger-cli/src/publish.command.js';
import { waitUntilConsumed } from '../../apps/ledger-cli/src/wait-for-ingest.js';
import { eventually, inputTopics, readTopic, startTestLedger, stratusFiles, stratusRecords, type TestLedger } from '#test-support';

/**
 * The spine end to end: real Stratus Red Team CloudTrail logs published to real Kafka,
 * consumed by the running service, stored once in Postgres, and answered over HTTP.
 */
describe('Kafka → ledger → who-did-what API', () => {
  let t: TestLedger;
  const records = stratusRecords();

  beforeAll(async () => {
    t = await startTestLedger({ databaseUrl: inject('databaseUrl'), kafkaBrokers: inject('kafkaBrokers') }, 'kafka_e2e');
  });
  afterAll(async () => t?.close());

  async function publishStratus() {
    const files = await readSourceFiles(stratusFiles());
    const report = await publishMessages(t.kafka, t.config.kafka.topics, t.config.kafka.partitions, messageBodies(files));
    await waitUntilConsumed(t.kafka, t.ledger.runtime.store, t.config.kafka.consumerGroup, inputTopics(t.config), 120_000);
    return report;
  }

  it('stores every Stratus record exactly once, attributed to a subject', async () => {
    const report = await publishStratus();
    expect(report.records).toBe(records.length);
    const { rows } = await t.db.pool.query(
      "SELECT event_id, actor_subject, kafka_topic FROM ledger_events WHERE origin_system <> 'ledger' ORDER BY position",
    );
    expect(rows).toHaveLength(records.length);
    // The only events the ledger adds itself here record late credential-chain resolutions:
    // Stratus role sessions whose AssumeRole was consumed after them.
    const own = await t.db.pool.query("SELECT DISTINCT type FROM ledger_events WHERE origin_system = 'ledger'");
    for (const row of own.rows) {
      expect(['identity.attribution.resolved', 'identity.api_key.created', 'accountability.anomaly.raised', 'activity.ledger_read']).toContain(row.type);
    }
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(records.map((r) => r.record.eventID)));
    for (const row of rows) {
      expect(row.actor_subject, row.event_id).toMatch(/\S/);
      expect(row.kafka_topic).toMatch(/\.(identity|authentication|authorization|activity)$/);
    }
    const rejected = await t.db.pool.query('SELECT count(*)::int AS n FROM ledger_rejections');
    expect(rejected.rows[0].n).toBe(0);
  });

  it('answers who-did-what for a subject over HTTP, in event-time order, across pages', async () => {
    const { rows } = await t.db.pool.query(
      'SELECT actor_subject, count(*)::int AS n FROM ledger_events GROUP BY actor_subject ORDER BY n DESC LIMIT 1',
    );
    const subject: string = rows[0].actor_subject;
    const expected: number = rows[0].n;
    const seen: Array<{ id: string; time: string; actor: { subject: string } }> = [];
    let cursor: string | null = null;
    do {
      const url = `/v1/subjects/${encodeURIComponent(subject)}/activity?limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await t.api(url);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: typeof seen; next_cursor: string | null };
      seen.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(expected);
    expect(seen.every((e) => e.actor.subject === subject)).toBe(true);
    const times = seen.map((e) => e.time);
    expect([...times].sort()).toEqual(times);
  });

  it('answers who touched a resource: the trail that was stopped', async () => {
    const { rows } = await t.db.pool.query("SELECT event_id, target_id FROM ledger_events WHERE action = 'cloudtrail:StopLogging' LIMIT 1");
    expect(rows[0]?.target_id).toBeTruthy();
    const response = await t.api(`/v1/targets/${encodeURIComponent(rows[0].target_id)}/activity`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: Array<{ id: string; target: { id: string } }> };
    expect(page.items.map((e) => e.id)).toContain(rows[0].event_id);
    expect(page.items.every((e) => e.target.id === rows[0].target_id)).toBe(true);
    expect((await t.api(`/v1/targets/${encodeURIComponent('arn:aws:s3:::never-touched')}/activity`)).status).toBe(404);
  });

  it('publishing the same files again adds nothing', async () => {
    await t.flushAudit(); // the reads above are recorded in the ledger too
    const before = await t.ledger.runtime.queries.statistics();
    await publishStratus();
    const after = await t.ledger.runtime.queries.statistics();
    expect(after.events).toBe(before.events);
    expect(after.duplicates - before.duplicates).toBe(records.length);
  });

  it('dead-letters malformed messages with a reason while storing the valid ones around them', async () => {
    const producer = createProducer(t.kafka);
    await producer.connect();
    const valid = (id: string) => JSON.stringify({ ...records[0]!.record, eventID: id });
    const withTime = (id: string, eventTime: unknown) => JSON.stringify({ ...records[0]!.record, eventID: id, eventTime });
    const noTime = { ...records[0]!.record, eventID: 'no-time' } as Record<string, unknown>;
    delete noTime.eventTime;
    const topic = t.config.kafka.topics.inputs.activity;
    await producer.send({
      topic,
      messages: [
        { key: 'k', value: valid('valid-before') },
        { key: 'k', value: '{"Records": [ this is not json' },
        { key: 'k', value: JSON.stringify(noTime), timestamp: String(Date.parse('2025-03-04T05:06:07.089Z')) },
        { key: 'k', value: withTime('dots', '...') },
        { key: 'k', value: valid('valid-after') },
      ],
    });
    await producer.disconnect();
    await waitUntilConsumed(t.kafka, t.ledger.runtime.store, t.config.kafka.consumerGroup, inputTopics(t.config), 60_000);

    for (const id of ['valid-before', 'valid-after', 'no-time']) {
      const response = await t.api(`/v1/events/${id}`);
      expect(response.status, id).toBe(200);
    }
    // no time at all: the Kafka record timestamp the producer set, marked as such (docs/formats.md)
    expect(await (await t.api('/v1/events/no-time')).json()).toMatchObject({ time: '2025-03-04T05:06:07.089Z', time_source: 'kafka_timestamp' });
    const dlq = await readTopic(t.kafka, t.config.kafka.topics.dlq, 2);
    const reasons = dlq.map((m) => m.headers?.['ledger-reason']?.toString()).sort();
    expect(reasons).toEqual(['invalid_event_time', 'invalid_json']);
    const bad = dlq.find((m) => m.headers?.['ledger-reason']?.toString() === 'invalid_json')!;
    expect(bad.value?.toString()).toBe('{"Records": [ this is not json');
    expect(bad.headers?.['ledger-source-topic']?.toString()).toBe(topic);
    expect(await eventually(async () => ((await t.ledger.runtime.queries.statistics()).rejections === 2 ? true : undefined))).toBe(true);
  });

  it('serves health and an OpenAPI document that describes every endpoint', async () => {
    expect((await fetch(`${t.ledger.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${t.ledger.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: 'ok', kafka: 'ok' } });
    const openapi = (await (await fetch(`${t.ledger.url}/openapi.json`)).json()) as { paths: Record<string, any> };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/health/live', '/health/ready', '/v1/events', '/v1/events/{id}', '/v1/subjects/{subject}/activity']),
    );
    // Every operation documents its parameters and a JSON response schema for success.
    for (const [path, operations] of Object.entries(openapi.paths)) {
      for (const [method, operation] of Object.entries(operations as Record<string, any>)) {
        const where = `${method.toUpperCase()} ${path}`;
        for (const parameter of operation.parameters ?? []) expect(parameter.schema, `${where} ${parameter.name}`).toBeDefined();
        const success = Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith('2'));
        expect(success, where).toBeDefined();
        const content = (success![1] as { content?: Record<string, { schema?: unknown }> }).content;
        expect(Object.values(content ?? {}).some((media) => media.schema !== undefined), `${where} has a response schema`).toBe(true);
      }
    }
    const timeline = openapi.paths['/v1/subjects/{subject}/activity'].get;
    expect(timeline.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['subject', 'from', 'to', 'category', 'action', 'outcome', 'limit', 'cursor']),
    );
    expect(timeline.responses['200'].content['application/json'].schema.$ref).toContain('EventPageDto');
    expect((await fetch(`${t.ledger.url}/docs`)).status).toBe(200);
    const metrics = await (await fetch(`${t.ledger.url}/metrics`)).text();
    expect(metrics).toMatch(/^ledger_events_appended_total\{channel="kafka"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^ledger_head_position [1-9]\d*$/m);
  });

  it('answers bad parameters with problem+json naming the field, and unknown subjects with 404', async () => {
    const bad = await t.api(`/v1/events?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(await bad.json()).toMatchObject({ code: 'invalid_argument', field: 'limit' });
    const hostile = await t.api(`/v1/events?subject=${encodeURIComponent("x' OR '1'='1")}`);
    expect(hostile.status).toBe(200);
    expect(((await hostile.json()) as { items: unknown[] }).items).toEqual([]);
    const unknown = await t.api(`/v1/subjects/${encodeURIComponent('arn:aws:iam::1:user/nobody')}/activity`);
    expect(unknown.status).toBe(404);
    const badCursor = await t.api(`/v1/events?cursor=garbage`);
    expect(await badCursor.json()).toMatchObject({ field: 'cursor' });
  });
});
