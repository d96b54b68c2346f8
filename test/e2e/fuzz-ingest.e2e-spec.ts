import type { Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createProducer } from '#messaging';
import { REJECTION_REASONS, normalizeMessage } from '#sources';
import { waitUntilConsumed } from '../../apps/ledger-cli/src/wait-for-ingest.js';
import { eventually, inputTopics, readTopic, startTestLedger, type TestLedger } from '#test-support';

/**
 * DESIGN 10, reliability: 10,000 fuzzed malformed messages through real Kafka into the running
 * service. Every record of every message is either stored, recognised as a duplicate, or
 * dead-lettered with a reason; the service keeps answering and keeps ingesting.
 *
 * The messages come from a seeded generator (a failure names its seed), built from valid
 * records of every format and then broken: truncated, retyped, bloated, nested, mis-encoded,
 * emptied, or given impossible times.
 */

const SEED = Number(process.env.LEDGER_FUZZ_SEED ?? 20261102);
const MESSAGES = 10_000;
/** Kafka refuses requests above about 1 MB: big messages are sent on their own. */
const BIG = 64 * 1024;

/** mulberry32: small, fast, good enough to spread cases, and reproducible from the seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FuzzMessage {
  value: Buffer | null;
  headers?: Record<string, string>;
  kind: string;
}

function generator(seed: number) {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const time = (i: number) => new Date(Date.parse('2024-07-30T21:53:13Z') + i * 1000);

  const valid = {
    cloudtrail: (i: number) => ({
      eventVersion: '1.08',
      eventID: `fuzz-ct-${seed}-${i}`,
      eventTime: time(i).toISOString().replace('.000Z', 'Z'),
      eventSource: pick(['iam.amazonaws.com', 'signin.amazonaws.com', 's3.amazonaws.com']),
      eventName: pick(['CreateUser', 'ConsoleLogin', 'PutBucketPolicy', 'AttachUserPolicy']),
      userIdentity: { type: pick(['IAMUser', 'Root', 'AssumedRole']), arn: `arn:aws:iam::111122223333:user/u${i % 50}`, accountId: '111122223333', accessKeyId: 'AKIAEXAMPLE' },
      requestParameters: { userName: `bob${i % 9}` },
      sourceIPAddress: pick(['198.51.100.7', 'AWS Internal', '2001:db8::1']),
      recipientAccountId: '111122223333',
    }),
    canonical: (i: number) => ({
      id: `fuzz-c-${seed}-${i}`,
      category: 'activity',
      type: 'activity.privileged_command',
      time: time(i).toISOString(),
      actor: { subject: `linux:web-1:u${i % 50}`, kind: 'human', attribution: 'direct' },
      action: 'sudo',
      outcome: 'success',
    }),
    ocsf: (i: number) => ({
      class_uid: pick([3001, 3002, 3005, 6003]),
      activity_id: 1 + int(3),
      time: time(i).getTime(),
      status_id: 1 + int(2),
      metadata: { uid: `fuzz-o-${seed}-${i}`, product: { name: 'Entra ID' } },
      user: { name: `u${i % 50}`, email_addr: `u${i % 50}@example.com` },
      actor: { user: { name: 'admin' } },
      src_endpoint: { ip: '198.51.100.7' },
    }),
    okta: (i: number) => ({
      uuid: `fuzz-k-${seed}-${i}`,
      published: time(i).toISOString(),
      eventType: pick(['user.session.start', 'user.mfa.factor.deactivate', 'group.privilege.grant']),
      actor: { id: `00u${i}`, type: 'User', alternateId: `u${i % 50}@example.com` },
      client: { ipAddress: '198.51.100.7', userAgent: { rawUserAgent: 'curl/8' } },
      outcome: { result: pick(['SUCCESS', 'FAILURE', 'CHALLENGE']) },
      target: [{ id: '00u9', type: 'User', alternateId: 'victim@example.com' }],
    }),
    journald: (i: number) => ({
      MESSAGE: `Failed password for u${i % 50} from 198.51.100.${i % 250} port ${1000 + i} ssh2`,
      _HOSTNAME: 'web-1',
      SYSLOG_IDENTIFIER: 'sshd',
      _PID: String(100 + i),
      __REALTIME_TIMESTAMP: String(time(i).getTime() * 1000),
    }),
  };
  const syslog = (i: number) =>
    pick([
      `Jul 30 21:53:13 web-${i % 3} sshd[${i}]: Accepted publickey for u${i % 50} from 198.51.100.7 port 22 ssh2: ED25519 SHA256:k${i}`,
      `<38>1 ${time(i).toISOString()} web-1 sshd-session ${i} - - Invalid user  from 2001:db8::${i % 99} port 22`,
      `Jul 30 21:53:13 web-1 sudo: u${i % 50} : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls ${i}`,
      `Jul 30 21:53:13 web-1 sshd[${i}]: message repeated ${1 + int(4)} times: [ Failed password for root from 192.0.2.${i % 250} port 22 ssh2]`,
    ]);
  const formats = Object.keys(valid) as Array<keyof typeof valid>;
  const validText = (i: number): string => {
    const format = pick([...formats, 'syslog', 'delivery', 'cloudevents'] as const);
    if (format === 'syslog') return syslog(i);
    if (format === 'delivery') return JSON.stringify({ Records: [valid.cloudtrail(i), valid.cloudtrail(i + 1_000_000)] });
    if (format === 'cloudevents') return JSON.stringify({ specversion: '1.0', id: `ce-${seed}-${i}`, source: 'urn:fuzz', type: 't', data: valid.canonical(i) });
    return JSON.stringify(valid[format](i));
  };
  const oddValue = () => pick<unknown>([null, 0, -1, 1e308, true, [], {}, '', ' ', 'x'.repeat(int(300)), [[{}]], { $ne: 1 }, '\u0000', '\ud800', 'NaN']);

  const cases: Record<string, (i: number) => FuzzMessage> = {
    truncated: (i) => {
      const text = validText(i);
      return { kind: 'truncated', value: Buffer.from(text.slice(0, int(text.length))) };
    },
    randomBytes: () => ({ kind: 'randomBytes', value: Buffer.from(Array.from({ length: int(600) }, () => int(256))) }),
    wrongTypes: (i) => {
      const format = pick(formats);
      const record = valid[format](i) as Record<string, unknown>;
      const keys = Object.keys(record);
      for (let n = 1 + int(3); n > 0; n--) record[pick(keys)] = oddValue();
      return { kind: 'wrongTypes', value: Buffer.from(JSON.stringify(record)) };
    },
    huge: (i) => {
      const record = valid[pick(formats)](i) as Record<string, unknown>;
      const key = pick(Object.keys(record));
      record[key] = 'A'.repeat(BIG + int(200 * 1024));
      return { kind: 'huge', value: Buffer.from(JSON.stringify(record)) };
    },
    deep: () => {
      const depth = 10 + int(20_000);
      const shape = pick(['array', 'object', 'records']);
      const text =
        shape === 'array'
          ? '['.repeat(depth) + ']'.repeat(depth)
          : shape === 'object'
            ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
            : `{"Records":[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]}`;
      return { kind: 'deep', value: Buffer.from(text) };
    },
    badUtf8: (i) => {
      const bytes = Buffer.from(`${validText(i)}\n${validText(i + 1)}`);
      const at = int(bytes.length);
      const bad = pick([[0xff], [0xc3, 0x28], [0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]);
      return { kind: 'badUtf8', value: Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]) };
    },
    empty: () => ({ kind: 'empty', value: pick([null, Buffer.alloc(0), Buffer.from(' \n\t'), Buffer.from('\uFEFF'), Buffer.from('[]'), Buffer.from('{}'), Buffer.from('null')]) }),
    badTime: (i) => {
      const format = pick(formats);
      const record = valid[format](i) as Record<string, unknown>;
      const bad = pick<unknown>(['2099-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '2024-02-30T00:00:00Z', 'yesterday', '', 0, 1722376393, -1]);
      const key = { cloudtrail: 'eventTime', canonical: 'time', ocsf: 'time', okta: 'published', journald: '__REALTIME_TIMESTAMP' }[format];
      record[key] = bad;
      return { kind: 'badTime', value: Buffer.from(JSON.stringify(record)) };
    },
    mixedBatch: (i) => {
      const lines = Array.from({ length: 2 + int(6) }, (_, k) => pick([validText(i * 10 + k), 'not json', '{"broken":', syslog(i + k), JSON.stringify(oddValue())]));
      return { kind: 'mixedBatch', value: Buffer.from(lines.join(pick(['\n', '\r\n', '\n\n']))) };
    },
    declared: (i) => ({
      kind: 'declared',
      value: Buffer.from(validText(i)),
      headers: { 'ledger-format': pick(['okta', 'ocsf', 'linux-auth', 'cloudtrail', 'canonical', 'cloudevents', 'gelf', '']) },
    }),
    hostileSyslog: (i) => {
      const user = pick(['', ' ', 'root from 6.6.6.6 port 22 ssh2', 'a : TTY=x ; USER=root', '\u202eevil', 'x'.repeat(int(20_000))]);
      const line = pick([
        `Jul 30 21:53:13 web-1 sshd[${i}]: Failed password for invalid user ${user} from 192.0.2.1 port 22 ssh2`,
        `Jul 30 21:53:13 web-1 sshd[${i}]: message repeated ${pick(['0', '99999', '3', '-1'])} times: [ Invalid user ${user} from ::1]`,
        `<38>1 ${pick(['-', '2099-01-01T00:00:00Z', 'garbage'])} ${pick(['-', 'h'])} sshd - - - Accepted password for ${user} from 1.2.3.4`,
        `Jul 30 21:53:13 web-1 kernel: ${user}`,
      ]);
      return { kind: 'hostileSyslog', value: Buffer.from(line) };
    },
    valid: (i) => ({ kind: 'valid', value: Buffer.from(validText(i)) }),
  };
  const weights: Array<[string, number]> = [
    ['truncated', 16], ['randomBytes', 10], ['wrongTypes', 14], ['huge', 0.3], ['deep', 2], ['badUtf8', 8], ['empty', 6],
    ['badTime', 12], ['mixedBatch', 8], ['declared', 8], ['hostileSyslog', 8], ['valid', 4],
  ];
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  return (i: number): FuzzMessage => {
    let r = random() * total;
    for (const [name, weight] of weights) {
      r -= weight;
      if (r < 0) return cases[name]!(i);
    }
    return cases.valid!(i);
  };
}

describe('fuzzed messages through Kafka', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger({ databaseUrl: inject('databaseUrl'), kafkaBrokers: inject('kafkaBrokers') }, 'fuzz_e2e');
  });
  afterAll(async () => t?.close());

  it(`stores, deduplicates or dead-letters every record of ${MESSAGES} odd messages (seed ${SEED}) and keeps serving`, async () => {
    const next = generator(SEED);
    const messages: FuzzMessage[] = Array.from({ length: MESSAGES }, (_, i) => next(i));
    // re-deliver some messages exactly, so that duplicates are counted too
    for (let i = 0; i < 200; i++) messages.push(messages[(i * 7919) % MESSAGES]!);
    expect(new Set(messages.map((m) => m.kind)).size).toBeGreaterThanOrEqual(12);

    // what the service must account for: every record normalizeMessage finds in every message
    // (the service runs the same function; each message holds at least one record or is one rejection)
    const now = Date.now();
    let expectedRecords = 0;
    for (const m of messages) {
      const result = normalizeMessage({ body: m.value ?? Buffer.alloc(0), headers: m.headers }, { now });
      expect(result.events.length + result.rejected.length).toBeGreaterThan(0);
      expectedRecords += result.events.length + result.rejected.length;
    }

    const topics = inputTopics(t.config);
    const producer = createProducer(t.kafka);
    await producer.connect();
    try {
      let chunk: Array<{ topic: string; message: Message }> = [];
      const flush = async () => {
        if (chunk.length === 0) return;
        const byTopic = new Map<string, Message[]>();
        for (const { topic, message } of chunk) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
        await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })) });
        chunk = [];
      };
      let bytes = 0;
      for (const [i, m] of messages.entries()) {
        const size = m.value?.length ?? 0;
        if (size >= BIG || bytes + size > 512 * 1024) await flush();
        chunk.push({ topic: topics[i % topics.length]!, message: { key: i % 5 === 0 ? null : `k${i % 97}`, value: m.value, headers: m.headers } });
        bytes = size >= BIG ? 0 : bytes + size;
        if (size >= BIG) await flush();
      }
      await flush();
    } finally {
      await producer.disconnect();
    }
    await waitUntilConsumed(t.kafka, t.ledger.runtime.store, t.config.kafka.consumerGroup, topics, 90_000);

    const count = async (sql: string) => Number((await t.db.pool.query(sql, [topics])).rows[0].n);
    const stored = await count('SELECT count(*) AS n FROM ledger_events WHERE kafka_topic = ANY($1)');
    const duplicates = await count('SELECT count(*) AS n FROM ledger_duplicate_receipts WHERE kafka_topic = ANY($1)');
    const rejections = await count('SELECT count(*) AS n FROM ledger_rejections WHERE kafka_topic = ANY($1)');
    expect(stored + duplicates + rejections).toBe(expectedRecords);
    expect(stored).toBeGreaterThan(0);
    expect(duplicates).toBeGreaterThan(0);
    expect(rejections).toBeGreaterThan(MESSAGES / 2);

    // every rejection reaches the dead-letter topic with its reason
    const known = new Set<string>([...REJECTION_REASONS, 'unserializable_event']);
    const dlq = await readTopic(t.kafka, t.config.kafka.topics.dlq, rejections, 60_000);
    const ours = new Map<string, string | undefined>();
    for (const message of dlq) {
      const source = message.headers?.['ledger-source-topic']?.toString();
      if (source === undefined || !topics.includes(source)) continue;
      ours.set(message.headers!['ledger-rejection-id']!.toString(), message.headers?.['ledger-reason']?.toString());
    }
    expect(ours.size).toBe(rejections);
    const reasons = [...ours.values()];
    expect(reasons.filter((reason) => reason === undefined || !known.has(reason))).toEqual([]);
    expect(new Set(reasons).size).toBeGreaterThanOrEqual(8);

    // still ready, and still ingesting
    const ready = await fetch(`${t.ledger.url}/health/ready`);
    expect(ready.status).toBe(200);
    const after = createProducer(t.kafka);
    await after.connect();
    const id = `after-fuzz-${SEED}`;
    await after.send({
      topic: t.config.kafka.topics.inputs.identity,
      messages: [{ value: JSON.stringify({ eventVersion: '1.08', eventID: id, eventTime: new Date(now - 60_000).toISOString(), eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' } }) }],
    });
    await after.disconnect();
    // read from the store: the HTTP API may ask for an API key, health never does
    const subject = await eventually(async () => {
      const { rows } = await t.db.pool.query('SELECT actor_subject FROM ledger_events WHERE event_id = $1', [id]);
      return rows[0]?.actor_subject as string | undefined;
    }, 30_000, 'the record sent after the fuzz');
    expect(subject).toBe('arn:aws:iam::111122223333:user/alice');
  });
});
