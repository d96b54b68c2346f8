import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import type { TopicNames } from '#domain';
import { createProducer } from '#messaging';
import { normalizeMessage } from '#sources';
import { generateWorkload, type CloudTrailRecord } from '#workload';
import { benchWorkload } from './support/workload.js';
import { benchTopics, createTopics, deleteTopicsAndGroups, inputTopicList } from './support/bench-kafka.js';
import { startLedgerService } from './support/ledger-service.js';
import { DIST, REPO_ROOT } from './support/paths.js';
import { createPool, createScratchDatabase, ledgerConsumedMessages } from './support/scratch-database.js';
import { fmtNumber, verdict, type Scenario, type ScenarioContext, type ScenarioOutcome } from './support/scenario.js';
import { runScenarioStandalone } from './support/standalone.js';
import { percentile, round } from './support/stats.js';

/**
 * Scenario 3 (DESIGN 10, anomaly delay): generated traffic at a fixed 5,000 events/s with
 * root console sign-ins (a rule DESIGN 7 names) mixed in at a fixed rate; the delay of each
 * is measured from the moment the ledger consumed it (the event's `received_at`, stamped when
 * its Kafka batch is taken in) to the moment an anomaly naming its event id arrives on the
 * anomalies topic: DESIGN 10's "after its event is consumed". The delay from handing it to the
 * producer is reported beside it; the difference is the time the event waited in Kafka, i.e.
 * the ingest backlog when the ledger cannot keep up with the offered rate. Needs the service
 * to publish anomalies: until detection exists this scenario says so instead of a number.
 */

const TRIGGERS_PER_SECOND = 10;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Every compiled file of the service, to see whether it wires detection in. */
function serviceSources(dir = join(DIST, 'apps/ledger-service/src')): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? serviceSources(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  );
}

/** Detection ships as a library the service wires in; without it nothing reaches ledger.anomalies. */
export function detectionAvailability(): { available: boolean; reason: string } {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { imports?: Record<string, unknown> };
  const hasImport = Object.keys(pkg.imports ?? {}).includes('#detection');
  const compiled = existsSync(join(DIST, 'libs/detection/src/index.js'));
  const wired = serviceSources().some((file) => readFileSync(file, 'utf8').includes("'#detection'"));
  if (hasImport && compiled && wired) return { available: true, reason: '' };
  const missing = [!hasImport && 'no #detection import in package.json', !compiled && 'no compiled dist/libs/detection', !wired && 'the service does not import #detection'].filter(Boolean);
  return {
    available: false,
    reason: `not available yet: the service publishes no anomalies to ledger.anomalies (${missing.join('; ')})`,
  };
}

interface Outgoing {
  topic: string;
  key: string | null;
  value: Buffer;
}

function classify(topics: TopicNames, body: Buffer): Outgoing {
  const { events } = normalizeMessage({ body });
  const event = events[0];
  return event ? { topic: topics.inputs[event.category], key: event.actor.subject, value: body } : { topic: topics.inputs.activity, key: null, value: body };
}

/** A root console sign-in taken from the generator, re-dated to now with a fresh id and account. */
function rootSignInTemplate(seed: number): CloudTrailRecord {
  const records = generateWorkload({ seed }).records;
  const root = records.find((r) => r.eventName === 'ConsoleLogin' && r.userIdentity.type === 'Root');
  if (root) return root;
  const login = records.find((r) => r.eventName === 'ConsoleLogin');
  if (!login) throw new Error('the generated workload has no ConsoleLogin record to build triggers from');
  return { ...login, userIdentity: { type: 'Root', principalId: login.recipientAccountId, arn: `arn:aws:iam::${login.recipientAccountId}:root`, accountId: login.recipientAccountId } };
}

function trigger(template: CloudTrailRecord, n: number): { id: string; body: Buffer } {
  const id = `b0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  // A different account per trigger, so that a rule that reports a subject once still fires each time.
  const account = String(500_000_000_000 + n).padStart(12, '0');
  const record: CloudTrailRecord = {
    ...template,
    eventID: id,
    eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    recipientAccountId: account,
    userIdentity: { type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account },
  };
  return { id, body: Buffer.from(JSON.stringify(record), 'utf8') };
}

/** At most this many per request, so that no partition's share passes the broker's 1 MB limit. */
const SEND_CHUNK = 400;

async function send(producer: Producer, messages: Outgoing[]): Promise<void> {
  for (let i = SEND_CHUNK; i < messages.length; i += SEND_CHUNK) await send(producer, messages.slice(i - SEND_CHUNK, i));
  if (messages.length > SEND_CHUNK) messages = messages.slice(Math.floor((messages.length - 1) / SEND_CHUNK) * SEND_CHUNK);
  const byTopic = new Map<string, Array<{ key: string | null; value: Buffer }>>();
  for (const m of messages) {
    const list = byTopic.get(m.topic) ?? [];
    list.push({ key: m.key, value: m.value });
    byTopic.set(m.topic, list);
  }
  await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })) });
}

async function runAnomalies(context: ScenarioContext): Promise<ScenarioOutcome> {
  const availability = detectionAvailability();
  if (!availability.available) return { status: 'not-available', reason: availability.reason, data: {}, rows: [] };
  const { options, plan, log } = context;
  const rate = plan.anomalyEventsPerSecond;
  const seconds = plan.anomalySeconds;
  const topics = benchTopics(options.runId, 'anomalies');
  const groupId = `bench.${options.runId}.anomalies`;
  const db = await createScratchDatabase(options.serverUrl, 'anomalies', options.runId);
  const readerGroup = `bench.${options.runId}.anomaly-reader`;
  const admin = context.kafka.admin();
  await admin.connect();
  await createTopics(admin, [...inputTopicList(topics), topics.anomalies, topics.dlq]);
  await admin.disconnect();
  const producer = createProducer(context.kafka);
  const reader = context.kafka.consumer({ groupId: readerGroup, maxWaitTimeInMs: 20 });
  const pool = createPool(db.url, 1);
  const service = await startLedgerService({
    label: 'anomalies',
    databaseUrl: db.url,
    brokers: options.kafkaBrokers,
    topics,
    consumerGroup: groupId,
    ingestEnabled: true,
    env: options.ingestWorkers === null ? {} : { LEDGER_INGEST_WORKERS: String(options.ingestWorkers) },
  });
  try {
    await producer.connect();
    const background: Outgoing[] = [];
    for (const json of benchWorkload(options.seed, Math.min(rate * seconds, 400_000))) background.push(classify(topics, Buffer.from(json, 'utf8')));
    const template = rootSignInTemplate(options.seed);

    // Ready means the consumer has joined and stored something.
    await send(producer, background.slice(0, 1));
    const readyBy = Date.now() + 60_000;
    while ((await ledgerConsumedMessages(pool, groupId)) < 1) {
      if (Date.now() > readyBy) throw new Error('the ledger did not start consuming within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }

    const sentAt = new Map<string, number>();
    const delays = new Map<string, number>();
    const arrivedAt = new Map<string, number>();
    await reader.connect();
    await reader.subscribe({ topic: topics.anomalies, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const arrived = performance.now();
        for (const match of message.value?.toString('utf8').match(UUID) ?? []) {
          const id = match.toLowerCase();
          const sent = sentAt.get(id);
          if (sent !== undefined && !delays.has(id)) {
            delays.set(id, arrived - sent);
            arrivedAt.set(id, Date.now());
          }
        }
      },
    });

    log(`publishing ${fmtNumber(rate)} events/s for ${seconds} s with ${TRIGGERS_PER_SECOND} root console sign-ins per second`);
    const start = performance.now();
    let sentBackground = 1;
    let triggers = 0;
    while (performance.now() - start < seconds * 1000) {
      const elapsed = (performance.now() - start) / 1000;
      const dueTriggers = Math.floor(elapsed * TRIGGERS_PER_SECOND);
      while (triggers < dueTriggers) {
        const t = trigger(template, triggers++);
        const out = classify(topics, t.body);
        sentAt.set(t.id, performance.now());
        await send(producer, [out]);
      }
      const dueBackground = Math.min(background.length, Math.floor(elapsed * rate));
      if (dueBackground > sentBackground) {
        await send(producer, background.slice(sentBackground, dueBackground));
        sentBackground = dueBackground;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const achievedRate = sentBackground / ((performance.now() - start) / 1000);
    const settleBy = Date.now() + 15_000;
    while (delays.size < triggers && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 100));

    const values = [...delays.values()];
    const p50 = round(percentile(values, 50), 1);
    const p99 = round(percentile(values, 99), 1);
    const consumed = await consumedAt(pool, [...arrivedAt.keys()]);
    const fromConsume = [...arrivedAt].flatMap(([id, at]) => (consumed.has(id) ? [at - consumed.get(id)!] : []));
    const consumeP50 = round(percentile(fromConsume, 50), 1);
    const consumeP99 = round(percentile(fromConsume, 99), 1);
    log(`  ${delays.size}/${triggers} triggers reported; consume -> anomaly p50 ${consumeP50} ms, p99 ${consumeP99} ms; produce -> anomaly p50 ${p50} ms, p99 ${p99} ms; background ${fmtNumber(achievedRate)} events/s`);
    if (values.length === 0) {
      return { status: 'failed', reason: `no anomaly for any of ${triggers} root console sign-ins arrived on ${topics.anomalies}`, data: { triggers }, rows: [] };
    }
    return {
      status: 'ok',
      data: {
        eventsPerSecond: round(achievedRate, 0),
        seconds,
        triggers,
        reported: delays.size,
        consumeToAnomalyP50Ms: consumeP50,
        consumeToAnomalyP99Ms: consumeP99,
        p50Ms: p50,
        p99Ms: p99,
      },
      rows: [
        {
          scenario: 'anomalies',
          metric: `delay consume -> ledger.anomalies p50 / p99 (ms) at ${fmtNumber(achievedRate)} events/s${options.ingestWorkers === null ? '' : `, ${options.ingestWorkers} ingest workers`}`,
          value: `${fmtNumber(consumeP50, 1)} / ${fmtNumber(consumeP99, 1)}`,
          target: 'p99 <= 1,000',
          verdict: verdict(consumeP99 === null ? null : consumeP99 <= 1000),
        },
        { scenario: 'anomalies', metric: 'delay produce -> ledger.anomalies p50 / p99 (ms), Kafka wait included', value: `${fmtNumber(p50, 1)} / ${fmtNumber(p99, 1)}` },
        { scenario: 'anomalies', metric: 'triggers reported', value: `${delays.size} / ${triggers}` },
      ],
    };
  } finally {
    await reader.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await service.process.stop();
    await pool.end().catch(() => undefined);
    await deleteTopicsAndGroups(context.kafka, [...inputTopicList(topics), topics.anomalies, topics.dlq], [groupId, readerGroup]).catch(() => undefined);
    await db.drop();
  }
}

/** When the ledger consumed each event (its `received_at`), by source event id. */
async function consumedAt(pool: ReturnType<typeof createPool>, eventIds: string[]): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ event_id: string; received_at: Date }>(
    'SELECT event_id, received_at FROM ledger_events WHERE event_id = ANY($1::text[])',
    [eventIds],
  );
  return new Map(rows.map((row) => [row.event_id, row.received_at.getTime()]));
}

export const anomalyScenario: Scenario = {
  name: 'anomalies',
  title: 'Anomaly delay at 5,000 events/s',
  run: runAnomalies,
};

void runScenarioStandalone(import.meta.url, 'anomalies');
