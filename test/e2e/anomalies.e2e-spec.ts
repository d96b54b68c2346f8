import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createProducer } from '#messaging';
import { anomalyRaisedEvent } from '#anomalies';
import { prepareEvent } from '#event-store';
import { waitUntilConsumed } from '../../apps/ledger-cli/src/wait-for-ingest.js';
import { eventually, inputTopics, readTopic, SHARED_DATA, startTestLedger, TEST_KEY_OWNER, type TestLedger } from '#test-support';

const labelled = (file: string) => readFileSync(join(SHARED_DATA, 'labelled', file), 'utf8');

/**
 * Detection in the running service: events in through Kafka, anomalies appended to the
 * ledger, listed by the API, published once to the anomalies topic, and triaged.
 */
describe('anomalies end to end', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger({ databaseUrl: inject('databaseUrl'), kafkaBrokers: inject('kafkaBrokers') }, 'anomalies', {
      LEDGER_DETECTION_ENABLED: 'true',
    });
    const producer = createProducer(t.kafka);
    await producer.connect();
    await producer.send({
      topic: t.config.kafka.topics.inputs.activity,
      messages: [
        { value: labelled('cloudtrail/aws_console_root_login/01.json') },
        { value: labelled('cloudtrail/aws_cloudtrail_stopped/01.json') },
        { value: labelled('cloudtrail/aws_root_access_key_created/01.json') },
      ],
    });
    await producer.disconnect();
    await waitUntilConsumed(t.kafka, t.ledger.runtime.store, t.config.kafka.consumerGroup, inputTopics(t.config), 60_000);
  });
  afterAll(async () => t?.close());

  const list = async (query = '') => (await (await t.api(`/v1/anomalies${query}`)).json()) as { items: Array<Record<string, any>> };

  it('raises the catalogue anomalies, each with evidence and readable facts, on the subject timeline', async () => {
    const items = await eventually(async () => {
      const page = await list();
      const types = new Set(page.items.map((a) => a.type));
      return ['root_account_used', 'audit_logging_disabled', 'root_access_key_created'].every((type) => types.has(type)) ? page.items : undefined;
    }, 60_000, 'anomalies');
    for (const anomaly of items) {
      expect(anomaly.evidence_event_ids.length, anomaly.type).toBeGreaterThan(0);
      expect(anomaly.facts.length, anomaly.type).toBeGreaterThan(0);
      expect(anomaly.status).toBe('open');
    }
    const stopped = items.find((a) => a.type === 'audit_logging_disabled')!;
    const timeline = (await (await t.api(`/v1/subjects/${encodeURIComponent(stopped.subject)}/activity`)).json()) as { items: Array<Record<string, any>> };
    expect(timeline.items.some((e) => e.type === 'accountability.anomaly.raised' && e.target.id === stopped.id)).toBe(true);
  });

  it('publishes each anomaly exactly once to the anomalies topic', async () => {
    const { items } = await list();
    const messages = await readTopic(t.kafka, t.config.kafka.topics.anomalies, items.length + 1, 5_000);
    expect(messages.map((m) => m.key?.toString()).sort()).toEqual(items.map((a) => a.id).sort());
    expect(messages.every((m) => m.headers?.['ledger-anomaly-type'])).toBe(true);
  });

  it('records triage as a ledger event by the caller and shows the new status', async () => {
    const { items } = await list('?type=root_account_used');
    const anomaly = items[0]!;
    const response = await t.api(`/v1/anomalies/${anomaly.id}/triage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'acknowledged', note: 'break-glass login, ticket OPS-42' }),
    });
    expect(response.status).toBe(200);
    const triaged = (await response.json()) as Record<string, any>;
    expect(triaged.status).toBe('acknowledged');
    expect(triaged.history).toEqual([expect.objectContaining({ status: 'acknowledged', note: 'break-glass login, ticket OPS-42', by: TEST_KEY_OWNER })]);
    const mine = (await (await t.api(`/v1/subjects/${encodeURIComponent(TEST_KEY_OWNER)}/activity?limit=1000`)).json()) as { items: Array<Record<string, any>> };
    expect(mine.items.some((e) => e.type === 'accountability.anomaly.triaged' && e.target.id === anomaly.id)).toBe(true);
    // The subject list counts open anomalies only: the acknowledged one no longer (both are
    // projections, followed asynchronously, hence the wait).
    await eventually(async () => {
      const subjects = (await (await t.api('/v1/subjects?limit=1000')).json()) as { items: Array<Record<string, any>> };
      const all = (await list()).items;
      if (!all.some((a) => a.id === anomaly.id && a.status === 'acknowledged')) return undefined;
      const subjectsWithAnomalies = [...new Set(all.map((a) => a.subject))];
      const counted = subjectsWithAnomalies.every(
        (subject) => subjects.items.find((s) => s.subject === subject)?.open_anomalies === all.filter((a) => a.subject === subject && a.status === 'open').length,
      );
      return counted && subjectsWithAnomalies.length > 0 ? true : undefined;
    }, 30_000, 'open anomaly counts on GET /v1/subjects');
    const bad = await t.api(`/v1/anomalies/${anomaly.id}/triage`, { method: 'POST', body: JSON.stringify({ status: 'ignored', note: 'x' }) });
    expect(bad.status).toBe(400);
    const missing = await t.api('/v1/anomalies/no-such-anomaly/triage', { method: 'POST', body: JSON.stringify({ status: 'resolved', note: 'x' }) });
    expect(missing.status).toBe(404);
  });

  it('refuses a triage note with control characters (400 naming note) and triage by the subject of the anomaly (403)', async () => {
    const { items } = await list('?type=audit_logging_disabled');
    const nul = await t.api(`/v1/anomalies/${items[0]!.id}/triage`, { method: 'POST', body: JSON.stringify({ status: 'resolved', note: 'fine\u0000' }) });
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({ field: 'note' });

    // An anomaly about the owner of the test's key: only a second person may triage it.
    const own = {
      id: '00000000-0000-4000-8000-00000000a11c',
      type: 'unusual_hour' as const,
      severity: 'medium' as const,
      subject: TEST_KEY_OWNER,
      time: '2026-11-20T03:00:00.000Z',
      evidence_event_ids: ['e2e-own'],
      facts: ['signed in at 03:00, never before 07:00 in 30 days'],
      late: false,
      raised_by_event_id: 'e2e-own',
      details: {},
    };
    await t.ledger.runtime.store.append({ events: [prepareEvent(anomalyRaisedEvent(own, new Date().toISOString()))] });
    await eventually(async () => ((await t.api(`/v1/anomalies/${own.id}`)).status === 200 ? true : undefined), 30_000, 'own anomaly projected');
    const self = await t.api(`/v1/anomalies/${own.id}/triage`, { method: 'POST', body: JSON.stringify({ status: 'false_positive', note: 'that was me' }) });
    expect(self.status).toBe(403);
    expect(((await self.json()) as Record<string, any>).detail).toMatch(/second person/);
    expect(((await (await t.api(`/v1/anomalies/${own.id}`)).json()) as Record<string, any>).status).toBe('open');
  });
});
