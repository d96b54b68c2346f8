import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MerkleLogRepository } from '#event-store';
import { appendSyntheticEvents, createTestDatabase, testKeyFiles, type TestDatabase } from '#test-support';
import { parseCheckpoint, signCheckpoint, verifyCheckpoint } from '../checkpoint.js';
import { merkleRoot } from '../merkle.js';
import { verifyConsistencyProofJson, verifyInclusionProofJson } from '../proof-json.js';
import { generateSigningKey } from '../signed-note.js';
import { LedgerIntegrity } from './ledger-integrity.js';
import { toVerifierKeys } from './signing-key-files.js';

const ORIGIN = 'ledger.test/integrity';

describe('Merkle log over the event store: checkpoints, proofs, keys (real Postgres)', () => {
  let db: TestDatabase;
  let files: ReturnType<typeof testKeyFiles>;
  let integrity: LedgerIntegrity;
  const integrityFor = (keyFiles = files, maxLeavesPerPass?: number) =>
    new LedgerIntegrity(
      new MerkleLogRepository(db.pool),
      { origin: ORIGIN, signingKeyFile: keyFiles.LEDGER_SIGNING_KEY_FILE, verifierKeysFile: keyFiles.LEDGER_VERIFIER_KEYS_FILE, maxLeavesPerPass },
    );
  const trusted = () => toVerifierKeys(integrity.keys.trustedKeys());

  beforeAll(async () => {
    db = await createTestDatabase(inject('databaseUrl'), 'integrity');
    files = testKeyFiles('integrity');
    integrity = integrityFor(files, 700);
  });
  afterAll(async () => db?.drop());

  it('creates the signing key on first use, readable by its owner only, and lists it in the keyring', () => {
    const { key, created } = integrity.keys.ensure();
    expect(created).toBe(true);
    expect(statSync(files.LEDGER_SIGNING_KEY_FILE).mode & 0o777).toBe(0o600);
    expect(integrity.keys.trustedKeys()).toEqual([{ name: ORIGIN, key_id: key.keyId, vkey: key.vkey, not_before: key.notBefore, not_after: null }]);
    expect(integrity.keys.ensure().created).toBe(false);
  });

  it('signs checkpoints that cover every committed event, in passes of bounded size', async () => {
    await appendSyntheticEvents(db.pool, 0, 300);
    const first = await integrity.checkpointer.checkpointNow();
    expect(first.treeSize).toBe(300);
    await appendSyntheticEvents(db.pool, 300, 1000);
    const second = await integrity.checkpointer.checkpointNow();
    expect(second.treeSize).toBe(1300);
    // 1000 new leaves at most 700 per pass: an intermediate checkpoint of 1000 was signed too.
    const sizes = (await db.pool.query('SELECT tree_size FROM ledger_checkpoints ORDER BY id')).rows.map((r) => Number(r.tree_size));
    expect(sizes).toEqual([300, 1000, 1300]);
    const { rows } = await db.pool.query('SELECT leaf_hash FROM ledger_events ORDER BY position');
    const leaves = rows.map((r) => r.leaf_hash as Buffer);
    for (const size of sizes) {
      const { rows: cp } = await db.pool.query('SELECT note FROM ledger_checkpoints WHERE tree_size = $1', [size]);
      const verified = verifyCheckpoint(cp[0].note, trusted(), { origin: ORIGIN });
      expect(verified.rootHash).toEqual(merkleRoot(leaves.slice(0, size)));
    }
    const subtrees = await db.pool.query('SELECT count(*)::int AS n FROM ledger_merkle_subtrees WHERE height = 8');
    expect(subtrees.rows[0].n).toBe(Math.floor(1300 / 256));
  });

  it('does nothing periodically when the ledger did not grow, and re-signs on demand', async () => {
    expect(await integrity.checkpointer.pass('periodic')).toEqual({ checkpoint: null, caughtUp: true });
    const again = await integrity.checkpointer.checkpointNow();
    expect(again.treeSize).toBe(1300);
  });

  it('serves inclusion proofs that verify against the signed checkpoint, for every kind of position', async () => {
    const latest = (await integrity.proofs.latestCheckpoint())!;
    for (const n of [0, 1, 255, 256, 257, 511, 700, 1023, 1024, 1299]) {
      const proof = await integrity.proofs.inclusionProof(`evt-${String(n).padStart(8, '0')}`);
      expect(proof).toMatchObject({ leaf_index: n, tree_size: 1300, checkpoint: latest.checkpoint });
      const verified = verifyInclusionProofJson(proof, trusted(), { origin: ORIGIN, event: JSON.parse(proof.document) });
      expect(verified.leafIndex).toBe(n);
    }
    const older = await integrity.proofs.inclusionProof('evt-00000042', 300);
    expect(verifyInclusionProofJson(older, trusted(), { origin: ORIGIN }).checkpoint.treeSize).toBe(300);
    await expect(integrity.proofs.inclusionProof('no-such-event')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a proof for an event that no checkpoint covers yet', async () => {
    await appendSyntheticEvents(db.pool, 1300, 5);
    await expect(integrity.proofs.inclusionProof('evt-00001302')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('serves consistency proofs between any two checkpoints', async () => {
    await integrity.checkpointer.checkpointNow();
    const sizes = [300, 1000, 1300, 1305];
    for (const from of sizes) {
      for (const to of sizes.filter((s) => s >= from)) {
        const proof = await integrity.proofs.consistencyProof(from, to);
        const first = verifyCheckpoint(proof.first_checkpoint, trusted(), { origin: ORIGIN });
        const second = verifyCheckpoint(proof.second_checkpoint, trusted(), { origin: ORIGIN });
        expect(() => verifyConsistencyProofJson(proof, first, second), `${from} -> ${to}`).not.toThrow();
      }
    }
    await expect(integrity.proofs.consistencyProof(17)).rejects.toMatchObject({ code: 'not_found' });
    await expect(integrity.proofs.consistencyProof(1305, 300)).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('resumes from the stored Merkle data in a fresh process and stays consistent', async () => {
    await appendSyntheticEvents(db.pool, 1305, 900);
    const fresh = integrityFor();
    const checkpoint = await fresh.checkpointer.checkpointNow();
    expect(checkpoint.treeSize).toBe(2205);
    const proof = await fresh.proofs.consistencyProof(1305, 2205);
    verifyConsistencyProofJson(proof, parseCheckpoint(proof.first_checkpoint), parseCheckpoint(proof.second_checkpoint));
  });

  it('lets only one extender at a time: concurrent checkpoint requests leave one contiguous log', async () => {
    await appendSyntheticEvents(db.pool, 2205, 400);
    const others = [integrityFor(), integrityFor(), integrity];
    const results = await Promise.all(others.map((i) => i.checkpointer.checkpointNow()));
    expect(results.every((c) => c.treeSize === 2605)).toBe(true);
    const leaves = await db.pool.query('SELECT first_position, length(leaf_hashes) / 32 AS n FROM ledger_merkle_leaves ORDER BY first_position');
    let next = 0;
    for (const row of leaves.rows) {
      expect(Number(row.first_position)).toBe(next);
      next += Number(row.n);
    }
    expect(next).toBe(2605);
  });

  it('verifies a clean ledger clean, saying which events no checkpoint covers yet', async () => {
    await appendSyntheticEvents(db.pool, 2605, 10);
    const report = await integrity.verify();
    expect(report).toMatchObject({
      ok: true,
      events: 2615,
      head: 2615,
      verified_through: 2605,
      first_bad_position: null,
      tampering: null,
      findings: [],
      unverified_tail: { from: 2605, to: 2615 },
    });
    expect(report.checkpoints.valid).toBe(report.checkpoints.total);
  });

  it('rotates the signing key: old checkpoints stay verifiable within the old key window, new ones use the new key', async () => {
    const before = integrity.keys.load();
    const oldCheckpoint = (await integrity.proofs.latestCheckpoint())!;
    const { retired, current, checkpoint } = await integrity.checkpointer.rotateKey();
    expect(retired.key_id).toBe(before.keyId);
    expect(retired.not_after).toBe(current.not_before);
    expect(checkpoint.keyId).toBe(current.key_id);
    expect(checkpoint.treeSize).toBe(2615);
    expect(verifyCheckpoint(oldCheckpoint.checkpoint, trusted(), { origin: ORIGIN }).verifiedBy.keyId).toBe(before.keyId);
    expect(verifyCheckpoint(checkpoint.note, trusted(), { origin: ORIGIN }).verifiedBy.keyId).toBe(current.key_id);
    // The retired private key can no longer sign anything that counts.
    const late = signCheckpoint({ origin: ORIGIN, treeSize: 2615, rootHash: checkpoint.rootHash, time: new Date(Date.parse(current.not_before) + 1000) }, before);
    expect(() => verifyCheckpoint(late, trusted(), { origin: ORIGIN })).toThrow(expect.objectContaining({ reason: 'key_not_valid_at_time' }));
    const published = await integrity.publishedKeys();
    expect(published).toEqual([retired, current]);
    expect((await integrity.verify()).ok).toBe(true);
  });

  it('refuses to extend a log whose latest checkpoint is not one it can verify', async () => {
    const forger = generateSigningKey(ORIGIN);
    const latest = (await integrity.proofs.latestCheckpoint())!;
    const note = signCheckpoint({ origin: ORIGIN, treeSize: 99_999, rootHash: Buffer.from(latest.root_hash, 'hex'), time: new Date() }, forger);
    // Inserting is what the table allows anyone with INSERT: no trigger needs disabling.
    await db.pool.query(
      'INSERT INTO ledger_checkpoints (tree_size, root_hash, time, origin, key_name, key_id, note) VALUES ($1, $2, now(), $3, $4, $5, $6)',
      [99_999, Buffer.from(latest.root_hash, 'hex'), ORIGIN, forger.name, forger.keyId, note],
    );
    await expect(integrityFor().checkpointer.checkpointNow()).rejects.toMatchObject({ reason: 'merkle_store_inconsistent' });
    const report = await integrity.verify();
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'checkpoint_unknown_key', checkpoint: expect.objectContaining({ tree_size: 99_999 }) })]);
  });

  it('refuses to sign when the ledger already has another current signing key', async () => {
    const other = integrityFor(testKeyFiles('other-instance'));
    await expect(other.checkpointer.checkpointNow()).rejects.toMatchObject({ reason: 'another_signing_key' });
  });
});
