import { AssignerProtocol } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type InclusionProofJson,
  parseCheckpoint,
  toVerifierKeys,
  type VerificationReport,
  verifyCheckpoint,
  verifyConsistencyProofJson,
  verifyInclusionProofJson,
  type KeyWindow,
} from '#integrity';
import { createLogger } from '#logging';
import { startLedger, type RunningLedger } from '#service';
import { streamWorkloadJson } from '#workload';
import { publishMessages } from '../../apps/ledger-cli/src/publish.command.js';
import { waitUntilConsumed } from '../../apps/ledger-cli/src/wait-for-ingest.js';
import { eventually, inputTopics, startTestLedger, type TestLedger } from '#test-support';

/**
 * Issue #4 item 6: two service instances in one consumer group, consuming topics of four
 * partitions into one database, keep one valid Merkle log: every record once, positions
 * contiguous, checkpoints (signed by whichever instance holds the tree lock) all consistent,
 * and the whole ledger verifies clean through either instance.
 */
describe('two ingest instances, one consumer group, four partitions: one valid log', () => {
  let t: TestLedger;
  let second: RunningLedger;
  const RECORDS = 3000;

  beforeAll(async () => {
    const infra = { databaseUrl: inject('databaseUrl'), kafkaBrokers: inject('kafkaBrokers') };
    t = await startTestLedger(infra, 'multi_instance', {
      LEDGER_TOPIC_PARTITIONS: '4',
      LEDGER_CHECKPOINT_INTERVAL_MS: '250',
      LEDGER_MAX_BATCH_EVENTS: '200',
      LEDGER_KAFKA_SESSION_TIMEOUT_MS: '6000',
    });
    // Same database, topics, consumer group and key files: a second replica of the service.
    second = await startLedger(t.config, createLogger(process.env.LEDGER_TEST_LOG_LEVEL ?? 'warn', 'test-multi-instance-2'));
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  it('both instances share the partitions of every input topic', async () => {
    const admin = t.kafka.admin();
    await admin.connect();
    try {
      const owners = await eventually(
        async () => {
          const { groups } = await admin.describeGroups([t.config.kafka.consumerGroup]);
          const group = groups[0];
          if (!group || group.state !== 'Stable' || group.members.length !== 2) return undefined;
          return group.members.map((member) => AssignerProtocol.MemberAssignment.decode(member.memberAssignment)!.assignment);
        },
        60_000,
        'two members in the consumer group',
      );
      for (const topic of inputTopics(t.config)) {
        const partitions = owners.flatMap((assignment) => assignment[topic] ?? []).sort();
        expect(partitions, topic).toEqual([0, 1, 2, 3]);
        expect(owners.every((assignment) => (assignment[topic] ?? []).length > 0), topic).toBe(true);
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('stores every record once, at contiguous positions, and checkpoints them all', async () => {
    const messages = [...streamWorkloadJson({ seed: 4242, count: RECORDS })].map((json) => Buffer.from(json));
    await publishMessages(t.kafka, t.config.kafka.topics, 4, messages);
    await waitUntilConsumed(t.kafka, t.ledger.runtime.store, t.config.kafka.consumerGroup, inputTopics(t.config), 150_000);

    const { rows } = await t.db.pool.query<{ position: number; kafka_partition: number | null; kafka_topic: string | null }>(
      'SELECT position, kafka_partition, kafka_topic FROM ledger_events ORDER BY position',
    );
    expect(rows.map((r) => r.position)).toEqual([...rows.keys()]);
    const head = await t.db.pool.query<{ next_position: number }>('SELECT next_position FROM ledger_head');
    expect(head.rows[0]!.next_position).toBe(rows.length);
    const fromKafka = rows.filter((r) => r.kafka_topic !== null);
    expect(new Set(fromKafka.map((r) => r.kafka_partition))).toEqual(new Set([0, 1, 2, 3]));
    const doubles = await t.db.pool.query(
      `SELECT kafka_topic, kafka_partition, kafka_offset, count(*) FROM ledger_events WHERE kafka_topic IS NOT NULL
       GROUP BY 1, 2, 3 HAVING count(*) > 1`,
    );
    expect(doubles.rows).toEqual([]);
    const consumed = await t.db.pool.query<{ n: number }>(
      'SELECT count(DISTINCT (kafka_topic, kafka_partition, kafka_offset))::int AS n FROM ledger_events WHERE kafka_topic IS NOT NULL',
    );
    const rejected = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_rejections WHERE kafka_topic IS NOT NULL');
    const duplicates = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_duplicate_receipts WHERE kafka_topic IS NOT NULL');
    // Every published message is accounted for exactly once: an event, a rejection or a duplicate receipt of an earlier one.
    expect(consumed.rows[0]!.n + rejected.rows[0]!.n + duplicates.rows[0]!.n).toBeGreaterThanOrEqual(RECORDS);

    const size = rows.length;
    const latest = await eventually(
      async () => {
        const response = await fetch(`${second.url}/v1/integrity/checkpoints/latest`, { headers: { authorization: `Bearer ${t.apiKey}` } });
        if (response.status !== 200) return undefined;
        const body = (await response.json()) as { tree_size: number; checkpoint: string };
        return body.tree_size >= size ? body : undefined;
      },
      60_000,
      'a checkpoint covering every event',
    );
    const checkpoints = await t.db.pool.query<{ tree_size: number }>('SELECT tree_size FROM ledger_checkpoints ORDER BY id');
    const sizes = checkpoints.rows.map((r) => Number(r.tree_size));
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(parseCheckpoint(latest.checkpoint).treeSize).toBe(latest.tree_size);
  });

  it('verifies clean through either instance, and proofs from one verify with the keys the other publishes', async () => {
    for (const url of [t.ledger.url, second.url]) {
      const response = await fetch(`${url}/v1/integrity/verify`, { headers: { authorization: `Bearer ${t.apiKey}` } });
      const report = (await response.json()) as VerificationReport;
      expect(report.findings).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.verified_through).toBeGreaterThanOrEqual(RECORDS * 0.9);
    }
    const keys = (await (await t.api('/v1/integrity/keys')).json()) as { keys: KeyWindow[] };
    // The auditor's copy of the keys comes from the operator, not the API: the keyring file.
    expect(keys.keys.map((k) => k.vkey)).toEqual(t.ledger.runtime.integrity.keys.trustedKeys().map((k) => k.vkey));
    const trusted = toVerifierKeys(keys.keys);

    const first = await t.db.pool.query<{ tree_size: number }>('SELECT min(tree_size) AS tree_size FROM ledger_checkpoints WHERE tree_size > 0');
    const consistency = await fetch(`${second.url}/v1/integrity/consistency?from=${first.rows[0]!.tree_size}`, { headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(consistency.status).toBe(200);
    const proof = (await consistency.json()) as { first_checkpoint: string; second_checkpoint: string };
    verifyConsistencyProofJson(proof, verifyCheckpoint(proof.first_checkpoint, trusted), verifyCheckpoint(proof.second_checkpoint, trusted));

    const { rows } = await t.db.pool.query<{ event_id: string }>(
      'SELECT event_id FROM ledger_events WHERE kafka_topic IS NOT NULL AND NOT id_collision ORDER BY position DESC LIMIT 1 OFFSET 10',
    );
    const inclusion = await fetch(`${second.url}/v1/events/${encodeURIComponent(rows[0]!.event_id)}/proof`, { headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(inclusion.status).toBe(200);
    const body = (await inclusion.json()) as InclusionProofJson & { document: string };
    verifyInclusionProofJson(body, trusted, { event: JSON.parse(body.document) });
  });

  it('signs a checkpoint on demand through either instance, and serves it by size', async () => {
    const made = await fetch(`${second.url}/v1/integrity/checkpoints`, { method: 'POST', headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(made.status).toBe(201);
    const checkpoint = (await made.json()) as { tree_size: number; checkpoint: string; root_hash: string };
    const head = await t.db.pool.query<{ next_position: number }>('SELECT next_position FROM ledger_head');
    expect(checkpoint.tree_size).toBeLessThanOrEqual(head.rows[0]!.next_position);
    expect(verifyCheckpoint(checkpoint.checkpoint, toVerifierKeys(t.ledger.runtime.integrity.keys.trustedKeys())).rootHash.toString('hex')).toBe(checkpoint.root_hash);
    const bySize = await t.api(`/v1/integrity/checkpoints/${checkpoint.tree_size}`);
    expect(((await bySize.json()) as { tree_size: number }).tree_size).toBe(checkpoint.tree_size);
    expect((await t.api('/v1/integrity/checkpoints/not-a-size')).status).toBe(400);
    const missing = await t.api('/v1/integrity/consistency?from=987654321');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect((await t.api('/v1/events/no-such-event/proof')).status).toBe(404);
  });
});
