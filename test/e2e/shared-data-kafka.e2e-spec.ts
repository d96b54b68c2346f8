import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { contentHash } from '#integrity';
import { createProducer } from '#messaging';
import { waitUntilConsumed } from '../../apps/ledger-cli/src/wait-for-ingest.js';
import { inputTopics, readTopic, SHARED_DATA, startTestLedger, stratusRecords, type TestLedger } from '#test-support';

/**
 * Issue 3, done when: every labelled case and every Stratus Red Team record, published to the
 * real Kafka input topics, is consumed by the running service and stored in Postgres, with
 * no rejection and nothing dead-lettered, each with an accountable subject and the right
 * actor kind. Two labelled cases carry no time (and no id) of their own: over Kafka they take
 * the Kafka record timestamp (time_source kafka_timestamp) and an id derived from their
 * content, and a later re-delivery of them is a duplicate receipt, not a new event.
 *
 * The expectations are derived here from the raw records, independently of the normalizers:
 * what identifies a record (its source id and the hash of its canonical JSON), what time it
 * says, and who DESIGN 4 says is accountable for it.
 */

/** The Kafka record timestamp the test producer declares: what the shipper says it handed the records over at. */
const SHIPPED_AT = Date.parse('2025-06-01T12:00:00.250Z');
/** A second delivery of the same records, a day later. */
const SHIPPED_AGAIN = SHIPPED_AT + 86_400_000;

interface SourceRecord {
  /** `labelled/<file>` or `stratus/<file>:<line>`, for failure messages. */
  where: string;
  format: 'aws-cloudtrail' | 'okta';
  /** The message exactly as published. */
  text: string;
  record: Record<string, any>;
  /** Hex SHA-256 of the record's canonical JSON: what the store's idempotency key uses. */
  hash: string;
}

function sourceRecord(where: string, format: SourceRecord['format'], text: string): SourceRecord {
  const record = JSON.parse(text) as Record<string, any>;
  return { where, format, text, record, hash: contentHash(record).toString('hex') };
}

const LABELLED = join(SHARED_DATA, 'labelled');

function labelledCases(): Array<{ file: string; format: string }> {
  return readFileSync(join(LABELLED, 'expected.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { file: string; format: string });
}

function labelledFilesOnDisk(): string[] {
  return ['cloudtrail', 'okta'].flatMap((folder) =>
    readdirSync(join(LABELLED, folder), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${folder}/${f.split('\\').join('/')}`),
  );
}

function labelledRecords(): SourceRecord[] {
  return labelledCases().map((c) => sourceRecord(`labelled/${c.file}`, c.format === 'okta' ? 'okta' : 'aws-cloudtrail', readFileSync(join(LABELLED, c.file), 'utf8').trim()));
}

function allRecords(): SourceRecord[] {
  const stratus = stratusRecords().map(({ file, line }, i) => sourceRecord(`stratus/${file.split('/').pop()}#${i}`, 'aws-cloudtrail', line));
  return [...labelledRecords(), ...stratus];
}

/** The record's own id, when it has one (CloudTrail eventID, Okta uuid). */
function sourceId(r: SourceRecord): string | null {
  const id = r.format === 'okta' ? (r.record.uuid ?? r.record.UUID) : r.record.eventID;
  return typeof id === 'string' && id !== '' ? id : null;
}

/** The record's own time, as text, when it has one. */
function ownTime(r: SourceRecord): string | null {
  const time = r.format === 'okta' ? r.record.published : r.record.eventTime;
  return typeof time === 'string' && time !== '' ? time : null;
}

/** ISO-8601 in UTC with milliseconds; text without a zone is UTC (docs/formats.md). */
function utcIso(text: string): string {
  const zoned = /(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(text);
  const iso = zoned ? text : `${text.replace(' ', 'T').replace(/(\.\d{3})\d*$/, '$1')}Z`;
  const ms = Date.parse(iso);
  expect(Number.isFinite(ms), text).toBe(true);
  return new Date(ms).toISOString();
}

interface ExpectedActor {
  kind: 'human' | 'service' | 'root' | 'unknown';
  /** The subject DESIGN 4 names, where the record alone decides it. */
  subject?: string;
}

/** The role session's name: the ARN's last part, else what follows the role id in principalId. */
function sessionName(identity: Record<string, any>): string | null {
  const parts = String(identity.arn ?? '').split('/');
  if (parts.length >= 3) return parts.slice(2).join('/');
  const principal = String(identity.principalId ?? '');
  return principal.includes(':') ? principal.slice(principal.indexOf(':') + 1) : null;
}

const PERSON = /^[^@\s]+@[^@\s]+\.[^@\s]+$|^[a-z]+\.[a-z]+$/i;
const INSTANCE = /^i-[0-9a-f]{8,17}$/i;

/** STS calls in the data that issued temporary keys: key id → the record of the call. */
function issuedKeys(records: SourceRecord[]): Map<string, SourceRecord> {
  const issued = new Map<string, SourceRecord>();
  for (const r of records) {
    const key = r.record.responseElements?.credentials?.accessKeyId;
    if (r.format === 'aws-cloudtrail' && r.record.eventSource === 'sts.amazonaws.com' && typeof key === 'string' && r.record.errorCode === undefined) issued.set(key, r);
  }
  return issued;
}

/**
 * Who is accountable, read from the raw records (DESIGN 4 and 5.1, docs/formats.md, the
 * real-data unit tests): root by type or an ARN ending in `:root`, never by a user's name; IAM
 * users are people; a session signed with a key that an STS call in the data issued (role
 * session, federation token) is whoever made that call (the credential chain); otherwise a
 * role session is the person it names (source identity, an e-mail or first.last session
 * name), an EC2 instance's session is a service, and any other stays the unresolved session,
 * kind unknown, never the role.
 */
function expectedActor(r: SourceRecord, issued: Map<string, SourceRecord>): ExpectedActor {
  if (r.format === 'okta') {
    const type = String(r.record.actor?.type ?? '');
    expect(type, r.where).toBe('User');
    return { kind: 'human', subject: `okta:${r.record.actor.alternateId}` };
  }
  const identity = (r.record.userIdentity ?? {}) as Record<string, any>;
  const arn = typeof identity.arn === 'string' ? identity.arn : '';
  if (identity.type === 'Root' || arn.endsWith(':root')) return { kind: 'root', subject: `arn:aws:iam::${identity.accountId ?? arn.split(':')[4]}:root` };
  if (identity.type === 'IAMUser') return { kind: 'human', subject: arn };
  if (identity.type === 'AWSService' || (identity.type === undefined && typeof identity.invokedBy === 'string')) return { kind: 'service' };
  if (identity.type === 'AssumedRole' && typeof identity.sessionContext?.sourceIdentity === 'string') {
    return { kind: 'human', subject: identity.sessionContext.sourceIdentity };
  }
  const issuer = typeof identity.accessKeyId === 'string' ? issued.get(identity.accessKeyId) : undefined;
  if ((identity.type === 'AssumedRole' || identity.type === 'FederatedUser') && issuer !== undefined) return expectedActor(issuer, issued);
  if (identity.type === 'FederatedUser') return { kind: 'human' };
  if (identity.type === 'AssumedRole') {
    const session = sessionName(identity);
    if (session !== null && PERSON.test(session)) return { kind: 'human', subject: session };
    if ((session !== null && INSTANCE.test(session)) || typeof identity.invokedBy === 'string') return { kind: 'service', subject: arn };
    return { kind: 'unknown', subject: arn };
  }
  throw new Error(`${r.where}: userIdentity.type ${String(identity.type)} has no expectation here; add one`);
}

interface StoredRow {
  event_id: string;
  content_hash: Buffer;
  id_collision: boolean;
  time: Date;
  document: string;
  /** Set when the event arrived before the STS call that issued its key and was attributed later. */
  r_subject: string | null;
  r_kind: string | null;
}

describe('every labelled case and every Stratus record through Kafka', () => {
  let t: TestLedger;
  let topics: string[];
  const records = allRecords();
  const timeless = records.filter((r) => ownTime(r) === null);

  // what the store must hold: one event per distinct (system, source id or content, content);
  // a repeated record is a duplicate receipt; different records sharing an id are both kept
  const key = (r: SourceRecord) => `${r.format}|${sourceId(r) ?? 'derived'}|${r.hash}`;
  const distinct = new Map(records.map((r) => [key(r), r]));
  const hashesById = new Map<string, Set<string>>();
  for (const r of distinct.values()) {
    const id = `${r.format}|${sourceId(r) ?? r.hash}`;
    hashesById.set(id, (hashesById.get(id) ?? new Set()).add(r.hash));
  }
  const expectedCollisions = [...hashesById.values()].reduce((n, hashes) => n + hashes.size - 1, 0);

  beforeAll(async () => {
    t = await startTestLedger({ databaseUrl: inject('databaseUrl'), kafkaBrokers: inject('kafkaBrokers') }, 'shared_data_e2e');
    topics = inputTopics(t.config);
  });
  afterAll(async () => t?.close());

  async function publish(batch: SourceRecord[], timestamp: number): Promise<void> {
    const producer = createProducer(t.kafka);
    await producer.connect();
    try {
      const byTopic = new Map<string, Message[]>();
      batch.forEach((r, i) => {
        const topic = topics[i % topics.length]!;
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), { key: null, value: r.text, timestamp: String(timestamp) }]);
      });
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    } finally {
      await producer.disconnect();
    }
    await waitUntilConsumed(t.kafka, t.ledger.runtime.store, t.config.kafka.consumerGroup, topics, 120_000);
  }

  const count = async (sql: string): Promise<number> => Number((await t.db.pool.query(sql, [topics])).rows[0].n);
  const storedRows = async (): Promise<StoredRow[]> =>
    (
      await t.db.pool.query<StoredRow>(
        `SELECT e.event_id, e.content_hash, e.id_collision, e.time, e.document, r.subject AS r_subject, r.kind AS r_kind
           FROM ledger_events e LEFT JOIN ledger_reattributions r ON r.position = e.position
          WHERE e.kafka_topic = ANY($1) ORDER BY e.position`,
        [topics],
      )
    ).rows;

  it('stores each distinct record once, rejects none, and attributes every one to the right kind of subject', async () => {
    // every labelled file is a case and every case a file; the data as it is today: 21
    // labelled cases and 310 Stratus records (a change in the data must be noticed), two
    // cases without a time
    expect(new Set(labelledCases().map((c) => c.file))).toEqual(new Set(labelledFilesOnDisk()));
    expect(records).toHaveLength(331);
    expect(timeless.map((r) => r.where).sort()).toEqual(['labelled/cloudtrail/aws_console_login_without_mfa/07.json', 'labelled/okta/okta_user_mfa_reset/01.json']);
    const expectedDuplicates = records.length - distinct.size;

    await publish(records, SHIPPED_AT);

    expect(await count('SELECT count(*) AS n FROM ledger_rejections WHERE kafka_topic = ANY($1)')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM ledger_duplicate_receipts WHERE kafka_topic = ANY($1)')).toBe(expectedDuplicates);
    const rows = await storedRows();
    expect(rows).toHaveLength(distinct.size);
    expect(rows.filter((row) => row.id_collision)).toHaveLength(expectedCollisions);

    const byHash = new Map([...distinct.values()].map((r) => [r.hash, r]));
    const issued = issuedKeys(records);
    const seen = new Set<string>();
    const kinds: Record<string, number> = {};
    let reattributed = 0;
    for (const row of rows) {
      const r = byHash.get(row.content_hash.toString('hex'));
      expect(r, `stored event ${row.event_id} matches no published record`).toBeDefined();
      seen.add(r!.hash);
      const event = JSON.parse(row.document);
      expect(event.raw, r!.where).toBe(r!.text);

      const id = sourceId(r!);
      if (id !== null) expect(event.id, r!.where).toBe(id);
      else {
        // no id of its own: one derived from the content hash, and marked as such
        expect(event.id, r!.where).toMatch(/^sha256:[0-9a-f]{32,64}$/);
        expect(r!.hash.startsWith(event.id.slice('sha256:'.length)), `${r!.where}: ${event.id}`).toBe(true);
      }

      const time = ownTime(r!);
      if (time !== null) {
        expect(event.time, r!.where).toBe(utcIso(time));
        expect(event, r!.where).not.toHaveProperty('time_source');
      } else {
        // the producer's timestamp, not the ledger's time of receipt
        expect(event, r!.where).toMatchObject({ time: new Date(SHIPPED_AT).toISOString(), time_source: 'kafka_timestamp' });
        expect(event.received_at).not.toBe(event.time);
      }
      expect(row.time.toISOString()).toBe(event.time);

      // who is accountable, as the API answers: the stored actor, or the later re-attribution
      // when the event was consumed before the STS call that issued its key
      const expected = expectedActor(r!, issued);
      const effective = row.r_subject === null ? event.actor : { subject: row.r_subject, kind: row.r_kind };
      expect(event.actor.subject.trim(), r!.where).not.toBe('');
      expect(effective.subject.trim(), r!.where).not.toBe('');
      expect(effective.kind, `${r!.where}: ${effective.subject}`).toBe(expected.kind);
      if (expected.subject !== undefined) expect(effective.subject, r!.where).toBe(expected.subject);
      if (row.r_subject !== null) {
        expect(event.actor, r!.where).toMatchObject({ subject: r!.record.userIdentity.arn, attribution: 'unresolved' });
        reattributed++;
      }
      // a role is never the accountable subject
      expect(effective.subject, r!.where).not.toMatch(/^arn:aws:iam::[^:]*:role\//);
      kinds[effective.kind] = (kinds[effective.kind] ?? 0) + 1;
    }
    console.info(`shared data through Kafka: ${records.length} published, ${rows.length} stored, ${expectedDuplicates} duplicates, ` +
      `${expectedCollisions} id collisions, ${reattributed} re-attributed later, kinds ${JSON.stringify(kinds)}`);
    expect(seen.size).toBe(distinct.size);

    // nothing reached the dead-letter topic either
    expect(await readTopic(t.kafka, t.config.kafka.topics.dlq, 1, 5_000)).toEqual([]);
  });

  it('serves an event timed by Kafka with its time_source, and keeps its time and id when it is delivered again later', async () => {
    const okta = timeless.find((r) => r.format === 'okta')!;
    const [stored] = (await storedRows()).filter((row) => row.content_hash.toString('hex') === okta.hash);
    const response = await t.api(`/v1/events/${encodeURIComponent(stored!.event_id)}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: stored!.event_id, time: new Date(SHIPPED_AT).toISOString(), time_source: 'kafka_timestamp', type: 'identity.mfa.disabled' });

    const before = await storedRows();
    const duplicatesBefore = await count('SELECT count(*) AS n FROM ledger_duplicate_receipts WHERE kafka_topic = ANY($1)');
    await publish(timeless, SHIPPED_AGAIN);
    const after = await storedRows();
    expect(after.map((row) => [row.event_id, row.time.toISOString()])).toEqual(before.map((row) => [row.event_id, row.time.toISOString()]));
    expect(await count('SELECT count(*) AS n FROM ledger_duplicate_receipts WHERE kafka_topic = ANY($1)')).toBe(duplicatesBefore + timeless.length);
    expect(await count('SELECT count(*) AS n FROM ledger_rejections WHERE kafka_topic = ANY($1)')).toBe(0);
  });
});
