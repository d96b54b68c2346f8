import type { CheckpointRow, KeyRecordRow, MerkleLogQueries, MerkleLogRepository, VerificationEventRow } from '#event-store';
import type { LedgerEvent } from '#domain';
import { canonicalJson } from '../canonical-json.js';
import { parseCheckpoint, verifyCheckpoint } from '../checkpoint.js';
import { type DivergenceKind, DivergenceDetector } from '../divergence.js';
import { CheckpointError } from '../integrity-errors.js';
import { HASH_SIZE, MerkleAccumulator, emptyRoot, leafHash } from '../merkle.js';
import type { VerifierKey } from '../signed-note.js';
import type { StoredSubtree } from '../subtree-cache.js';
import { TileFrontier } from '../tile-frontier.js';
import { columnMismatches } from './event-columns.js';
import { type KeyWindow, toVerifierKeys } from './signing-key-files.js';

/**
 * What was done to the ledger, as far as the evidence shows. Stable strings (docs/integrity.md,
 * "ledger verify"): tests, the CLI's exit code and auditors rely on them.
 */
export type TamperKind =
  /** An event's content is not what was signed (or no longer hashes to its stored leaf hash). */
  | 'modified'
  /** An event that was signed is missing. */
  | 'deleted'
  /** An event that was never signed sits among signed ones (or two rows share a position). */
  | 'inserted'
  /** Two signed events changed places. */
  | 'reordered'
  /** A queryable column of an event row disagrees with its signed document. */
  | 'column_modified'
  /** A checkpoint's signed note was altered (its signature fails), or its columns disagree with the note. */
  | 'checkpoint_edited'
  /** A checkpoint is signed by a key that is not trusted (forged, or signed with a wrong key). */
  | 'checkpoint_unknown_key'
  /** A checkpoint is signed by a trusted key outside that key's validity window. */
  | 'checkpoint_key_not_valid_at_time'
  /** Validly signed, yet contradicting the history that a later checkpoint proves (a fork). */
  | 'checkpoint_inconsistent'
  /** The stored Merkle data (leaf copy, subtrees) does not match the signed checkpoints. */
  | 'merkle_store_modified';

export interface TamperFinding {
  kind: TamperKind;
  /** The first affected position (leaf index); null for findings about a checkpoint or the Merkle store alone. */
  position: number | null;
  /** All affected positions when known, e.g. both positions of a swap. */
  positions?: number[];
  /** For range findings: the event at the first bad position lies in [from, to). */
  range?: { from: number; to: number };
  checkpoint?: { id: number; tree_size: number };
  /**
   * How the finding was established: `signed_log` (compared with the authenticated copy of
   * the signed leaves), `row` (an event row contradicts itself), `positions` (positions are
   * missing or doubled), `checkpoint` (signature or columns), `range` (a signed root does
   * not match and nothing narrower was available), `merkle_store`.
   */
  evidence: 'signed_log' | 'row' | 'positions' | 'checkpoint' | 'range' | 'merkle_store' | 'unauthenticated_copy';
  detail: string;
}

export interface VerificationReport {
  ok: boolean;
  origin: string;
  /** Event rows read, in position order. */
  events: number;
  /** The ledger head (next position to hand out). */
  head: number;
  checkpoints: { total: number; valid: number; latest_valid_size: number | null };
  /** Events [0, verified_through) recompute to the root of a validly signed checkpoint. */
  verified_through: number;
  /** Events no checkpoint covers yet: checked for internal consistency only. */
  unverified_tail: { from: number; to: number; note: string } | null;
  first_bad_position: number | null;
  /** The kind of the first finding (by position); null when clean. */
  tampering: TamperKind | null;
  findings: TamperFinding[];
  findings_truncated: boolean;
  warnings: string[];
  /** The keys checkpoints were checked against (vkeys). */
  trusted_keys: string[];
  duration_ms: number;
  events_per_second: number;
}

export interface VerifyLedgerOptions {
  origin: string;
  trustedKeys: readonly KeyWindow[];
  /**
   * Signed checkpoints the verifier kept from earlier (notes): the ledger must still match
   * them, even if its own checkpoints were removed or rewritten.
   */
  heldCheckpoints?: readonly string[];
  /** Positions per query (default 4096): memory stays flat whatever the ledger's size. */
  chunkSize?: number;
  maxFindings?: number;
  onProgress?: (eventsRead: number, head: number) => void;
}

/**
 * Recomputes the whole log from the stored events, on one consistent snapshot, and reports
 * the first bad position and the kind of tampering (docs/integrity.md, "Verifying the
 * ledger"). Streams events and the stored leaf copy side by side in position order.
 */
export async function verifyLedger(repository: MerkleLogRepository, options: VerifyLedgerOptions): Promise<VerificationReport> {
  return repository.withSnapshot((queries) => new LedgerVerification(queries, options).run());
}

interface SignedCheckpoint {
  row: CheckpointRow;
  treeSize: number;
  rootHash: Buffer;
}

const EVENT_KINDS = new Set<TamperKind>(['modified', 'deleted', 'inserted', 'reordered', 'column_modified']);
const LEAF_ROWS_PER_READ = 16;
const TAIL_NOTE =
  'events after the latest valid checkpoint are checked for internal consistency only (contiguous positions, ' +
  'documents matching their leaf hashes and columns); the next checkpoint covers them';

class LedgerVerification {
  readonly #chunk: number;
  readonly #findings: FindingList;
  readonly #warnings: string[] = [];
  readonly #accD = new MerkleAccumulator();
  readonly #accL = new MerkleAccumulator();
  readonly #frontierL = new TileFrontier();
  readonly #detector = new DivergenceDetector();
  /** Recomputed roots at the sizes of valid checkpoints: D from the events, L from the stored leaf copy. */
  readonly #roots = new Map<number, { d: Buffer | null; l: Buffer | null }>();
  #completedSubtrees: StoredSubtree[] = [];
  #subtreeFindingMade = false;
  #eventsRead = 0;
  #head = 0;

  constructor(
    private readonly queries: MerkleLogQueries,
    private readonly options: VerifyLedgerOptions,
  ) {
    this.#chunk = options.chunkSize ?? 4096;
    this.#findings = new FindingList(options.maxFindings ?? 100);
  }

  async run(): Promise<VerificationReport> {
    const started = performance.now();
    const trusted = toVerifierKeys(this.options.trustedKeys);
    const checkpoints = await this.loadCheckpoints();
    this.#head = await this.queries.headPosition();
    const held = (this.options.heldCheckpoints ?? []).map((note, i) => heldCheckpointRow(note, i));
    const valid = [...checkpoints, ...held].map((row) => this.evaluateCheckpoint(row, trusted)).filter((c): c is SignedCheckpoint => c !== null);
    for (const c of valid) this.#roots.set(c.treeSize, { d: null, l: null });
    if (this.#roots.has(0)) this.#roots.set(0, { d: emptyRoot(), l: emptyRoot() });
    this.checkKeyRecords(await this.queries.keyRecords());

    const latestValid = valid.reduce((max, c) => Math.max(max, c.treeSize), 0);
    const leafLimit = Math.min(await this.queries.storedLeafCount(), latestValid);
    await this.merge(this.eventBatches(), this.storedLeafBatches(leafLimit));
    await this.checkCompletedSubtrees();
    const verifiedThrough = this.judge(valid);

    if (valid.length === 0 && this.#eventsRead > 0) {
      this.#warnings.push('no validly signed checkpoint exists: nothing is proven yet, events were checked for internal consistency only');
    }
    const findings = this.#findings.sorted();
    const first = findings.find((f) => f.position !== null) ?? findings[0] ?? null;
    const durationMs = performance.now() - started;
    return {
      ok: findings.length === 0,
      origin: this.options.origin,
      events: this.#eventsRead,
      head: this.#head,
      checkpoints: { total: checkpoints.length + held.length, valid: valid.length, latest_valid_size: valid.length ? latestValid : null },
      verified_through: verifiedThrough,
      unverified_tail: this.#eventsRead > latestValid ? { from: latestValid, to: this.#eventsRead, note: TAIL_NOTE } : null,
      first_bad_position: first?.position ?? null,
      tampering: first?.kind ?? null,
      findings,
      findings_truncated: this.#findings.truncated,
      warnings: this.#warnings,
      trusted_keys: this.options.trustedKeys.map((k) => k.vkey),
      duration_ms: Math.round(durationMs),
      events_per_second: durationMs > 0 ? Math.round((this.#eventsRead * 1000) / durationMs) : 0,
    };
  }

  private async loadCheckpoints(): Promise<CheckpointRow[]> {
    const all: CheckpointRow[] = [];
    for (let after = 0; ; ) {
      const page = await this.queries.checkpointsAfter(after, 10_000);
      all.push(...page);
      if (page.length < 10_000) return all;
      after = page[page.length - 1]!.id;
    }
  }

  /** The checkpoint's signed values when its note verifies; findings otherwise. */
  private evaluateCheckpoint(row: CheckpointRow, trusted: VerifierKey[]): SignedCheckpoint | null {
    const where = { id: row.id, tree_size: row.treeSize };
    let signed;
    try {
      signed = verifyCheckpoint(row.note, trusted, { origin: this.options.origin });
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      const kind: TamperKind =
        error.reason === 'unknown_key'
          ? 'checkpoint_unknown_key'
          : error.reason === 'key_not_valid_at_time'
            ? 'checkpoint_key_not_valid_at_time'
            : 'checkpoint_edited';
      this.#findings.add({ kind, position: null, checkpoint: where, evidence: 'checkpoint', detail: `${label(row)}: ${error.message} (${error.reason})` });
      return null;
    }
    // A held checkpoint has no columns of its own: only its note.
    const disagreeing = row.id < 0 ? [] : [
      signed.treeSize !== row.treeSize && 'tree_size',
      !signed.rootHash.equals(row.rootHash) && 'root_hash',
      signed.time?.getTime() !== row.time.getTime() && 'time',
      signed.origin !== row.origin && 'origin',
      (signed.verifiedBy.keyId !== row.keyId || signed.verifiedBy.name !== row.keyName) && 'key',
    ].filter((name): name is string => typeof name === 'string');
    if (disagreeing.length > 0) {
      this.#findings.add({
        kind: 'checkpoint_edited',
        position: null,
        checkpoint: where,
        evidence: 'checkpoint',
        detail: `${label(row)}: column(s) ${disagreeing.join(', ')} disagree with its signed note (the note is what counts)`,
      });
    }
    return { row, treeSize: signed.treeSize, rootHash: signed.rootHash };
  }

  private checkKeyRecords(records: KeyRecordRow[]): void {
    for (const record of records) {
      const trusted = this.options.trustedKeys.find((k) => k.key_id === record.keyId && k.vkey === record.vkey);
      if (!trusted) {
        this.#warnings.push(`the database lists signing key ${record.vkey}, which is not among the trusted keys`);
        continue;
      }
      const notAfter = record.notAfter ? record.notAfter.toISOString() : null;
      if (trusted.not_before !== record.notBefore.toISOString() || trusted.not_after !== notAfter) {
        this.#warnings.push(`the database gives key ${record.keyId} the window ${record.notBefore.toISOString()} .. ${notAfter ?? 'open'}, the trusted keys ${trusted.not_before} .. ${trusted.not_after ?? 'open'}`);
      }
    }
  }

  /** Events in position order: checks each row, yields the leaf hashes recomputed from the documents. */
  private async *eventBatches(): AsyncGenerator<Buffer[]> {
    const chunk = this.#chunk;
    let start = 0;
    let pending: Promise<VerificationEventRow[]> | null = this.queries.eventsForVerification(0, chunk);
    let lastPosition = -1;
    try {
      while (pending) {
        const rows = await pending;
        if (rows.length === 0) {
          pending = null;
          const next = await this.queries.nextEventPosition(start + chunk);
          if (next === null) break;
          start = next;
          pending = this.queries.eventsForVerification(start, start + chunk);
          continue;
        }
        start += chunk;
        pending = this.queries.eventsForVerification(start, start + chunk);
        const leaves: Buffer[] = new Array<Buffer>(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i]!;
          this.checkPositions(row.position, lastPosition);
          lastPosition = row.position;
          leaves[i] = this.checkRow(row);
        }
        this.#eventsRead += rows.length;
        this.options.onProgress?.(this.#eventsRead, this.#head);
        yield leaves;
      }
    } finally {
      pending?.catch(() => undefined);
    }
    if (lastPosition + 1 < this.#head) {
      this.#findings.add({
        kind: 'deleted',
        position: lastPosition + 1,
        evidence: 'positions',
        detail: `positions ${lastPosition + 1} .. ${this.#head - 1} are missing: the ledger head is at ${this.#head}`,
      });
    }
  }

  private checkPositions(position: number, last: number): void {
    if (position > last + 1) {
      this.#findings.add({
        kind: 'deleted',
        position: last + 1,
        evidence: 'positions',
        detail: position === last + 2 ? `position ${last + 1} is missing` : `positions ${last + 1} .. ${position - 1} are missing`,
      });
    } else if (position === last) {
      this.#findings.add({ kind: 'inserted', position, evidence: 'positions', detail: `two event rows have position ${position}` });
    }
    if (position >= this.#head) {
      this.#findings.add({ kind: 'inserted', position, evidence: 'positions', detail: `an event row has position ${position}, at or beyond the ledger head (${this.#head})` });
    }
  }

  private checkRow(row: VerificationEventRow): Buffer {
    const leaf = leafHash(Buffer.from(row.document, 'utf8'));
    if (!leaf.equals(row.leafHash)) {
      this.#findings.add({
        kind: 'modified',
        position: row.position,
        evidence: 'row',
        detail: `the document at position ${row.position} no longer hashes to the leaf hash stored with it`,
      });
    }
    let event: LedgerEvent;
    try {
      event = JSON.parse(row.document) as LedgerEvent;
    } catch {
      this.#findings.add({ kind: 'modified', position: row.position, evidence: 'row', detail: `the document at position ${row.position} is not JSON` });
      return leaf;
    }
    let canonical: string | null = null;
    try {
      canonical = canonicalJson(event);
    } catch {
      // reported just below
    }
    if (canonical !== row.document) {
      this.#findings.add({ kind: 'modified', position: row.position, evidence: 'row', detail: `the document at position ${row.position} is not in canonical form` });
    }
    const wrong = columnMismatches(row.columns, event);
    if (wrong.length > 0) {
      this.#findings.add({
        kind: 'column_modified',
        position: row.position,
        evidence: 'row',
        detail: `at position ${row.position}, column(s) ${wrong.join(', ')} disagree with the signed document`,
      });
    }
    return leaf;
  }

  /** The stored copy of the signed leaf hashes, in order, up to `limit`. */
  private async *storedLeafBatches(limit: number): AsyncGenerator<Buffer> {
    let expected = 0;
    let pending: Promise<Array<{ firstPosition: number; leafHashes: Buffer }>> | null =
      limit > 0 ? this.queries.storedLeafRows(0, LEAF_ROWS_PER_READ) : null;
    try {
      while (pending && expected < limit) {
        const rows = await pending;
        pending = null;
        if (rows.length === 0) {
          this.merkleStoreFinding(`the stored leaf hashes end at ${expected}, the signed log has ${limit}`);
          return;
        }
        pending = this.queries.storedLeafRows(rows[rows.length - 1]!.firstPosition + 1, LEAF_ROWS_PER_READ);
        for (const row of rows) {
          if (row.firstPosition !== expected) {
            this.merkleStoreFinding(`the stored leaf hashes are not contiguous at ${expected} (a row starts at ${row.firstPosition})`);
            return;
          }
          const take = Math.min(row.leafHashes.length / HASH_SIZE, limit - expected);
          expected += take;
          yield row.leafHashes.subarray(0, take * HASH_SIZE);
          if (expected >= limit) return;
        }
      }
    } finally {
      pending?.catch(() => undefined);
    }
  }

  /** Walks both streams in step: position i of the events against position i of the signed leaves. */
  private async merge(events: AsyncGenerator<Buffer[]>, stored: AsyncGenerator<Buffer>): Promise<void> {
    let d: Buffer[] = [];
    let di = 0;
    let dDone = false;
    let l: Buffer = Buffer.alloc(0);
    let li = 0;
    let lDone = false;
    for (;;) {
      if (di === d.length && !dDone) {
        const next = await events.next();
        if (next.done) dDone = true;
        else [d, di] = [next.value, 0];
        continue;
      }
      if (li * HASH_SIZE === l.length && !lDone) {
        const next = await stored.next();
        if (next.done) lDone = true;
        else [l, li] = [next.value, 0];
        continue;
      }
      const dLeft = d.length - di;
      const lLeft = l.length / HASH_SIZE - li;
      if (dLeft === 0 && lLeft === 0) break;
      const n = dLeft > 0 && lLeft > 0 ? Math.min(dLeft, lLeft) : Math.max(dLeft, lLeft);
      for (let k = 0; k < n; k++) {
        const actual = dLeft > 0 ? d[di++] : undefined;
        const expected = lLeft > 0 ? l.subarray(li * HASH_SIZE, ++li * HASH_SIZE) : undefined;
        this.step(actual, expected);
      }
      if (this.#completedSubtrees.length >= 1024) await this.checkCompletedSubtrees();
    }
  }

  private step(actual: Buffer | undefined, expected: Buffer | undefined): void {
    if (actual) {
      this.#accD.append(actual);
      const roots = this.#roots.get(this.#accD.size);
      if (roots) roots.d = this.#accD.root();
    }
    if (expected) {
      this.#accL.append(expected);
      for (const subtree of this.#frontierL.append(expected)) this.#completedSubtrees.push(subtree);
      const roots = this.#roots.get(this.#accL.size);
      if (roots) roots.l = this.#accL.root();
    }
    if (!this.#detector.settled) this.#detector.push(actual, expected);
  }

  /** The stored subtrees must be the ones the stored leaf copy completes. */
  private async checkCompletedSubtrees(): Promise<void> {
    const wanted = this.#completedSubtrees;
    this.#completedSubtrees = [];
    if (wanted.length === 0 || this.#subtreeFindingMade) return;
    const stored = await this.queries.subtreesAt(wanted);
    const byKey = new Map(stored.map((s) => [`${s.height}:${s.index}`, s.hash]));
    for (const subtree of wanted) {
      const hash = byKey.get(`${subtree.height}:${subtree.index}`);
      if (!hash || !hash.equals(subtree.hash)) {
        const first = subtree.index * 2 ** subtree.height;
        this.merkleStoreFinding(
          `the stored subtree over leaves [${first}, ${first + 2 ** subtree.height}) is ${hash ? 'wrong' : 'missing'}: proofs through it would fail`,
        );
        return;
      }
    }
  }

  private merkleStoreFinding(detail: string, checkpoint?: CheckpointRow): void {
    if (this.#subtreeFindingMade && !checkpoint) return;
    this.#subtreeFindingMade = true;
    this.#findings.add({
      kind: 'merkle_store_modified',
      position: null,
      evidence: 'merkle_store',
      detail,
      ...(checkpoint ? { checkpoint: { id: checkpoint.id, tree_size: checkpoint.treeSize } } : {}),
    });
  }

  /** Turns the recomputed roots and the first divergence into findings; returns verified_through. */
  private judge(valid: SignedCheckpoint[]): number {
    const matchesEvents = (c: SignedCheckpoint) => this.#roots.get(c.treeSize)?.d?.equals(c.rootHash) ?? false;
    const matchesCopy = (c: SignedCheckpoint) => this.#roots.get(c.treeSize)?.l?.equals(c.rootHash) ?? false;
    const bySize = [...valid].sort((a, b) => a.treeSize - b.treeSize);
    const authenticatedCopy = bySize.filter(matchesCopy).reduce((max, c) => Math.max(max, c.treeSize), 0);
    const verifiedThrough = bySize.filter(matchesEvents).reduce((max, c) => Math.max(max, c.treeSize), 0);

    for (const c of bySize) {
      if (!matchesCopy(c) && matchesEvents(c)) {
        this.merkleStoreFinding(`the stored leaf copy does not lead to the signed root of checkpoint ${c.treeSize}, though the events do`, c.row);
      }
    }

    const divergence = this.#detector.finish();
    if (divergence) {
      const eventsProvenBeyond = bySize.some((c) => c.treeSize > divergence.position && matchesEvents(c));
      if (divergence.position < authenticatedCopy) {
        this.#findings.add({ ...eventFinding(divergence), evidence: 'signed_log' });
      } else if (!eventsProvenBeyond) {
        this.#findings.add({
          ...eventFinding(divergence),
          evidence: 'unauthenticated_copy',
          detail: `${divergence.detail} (by the stored leaf copy, which no signed root authenticates this far)`,
        });
      }
    }

    for (const c of bySize) {
      if (matchesEvents(c)) continue;
      const explained = this.#findings.list().some((f) => EVENT_KINDS.has(f.kind) && f.position !== null && f.position < c.treeSize);
      if (explained) continue;
      const where = { id: c.row.id, tree_size: c.treeSize };
      const later = bySize.find((other) => other.treeSize >= c.treeSize && matchesEvents(other));
      if (later) {
        this.#findings.add({
          kind: 'checkpoint_inconsistent',
          position: null,
          checkpoint: where,
          evidence: 'checkpoint',
          detail: `${label(c.row)} (size ${c.treeSize}) is validly signed but contradicts ${label(later.row)} (size ${later.treeSize}), which the events match: the key signed two histories`,
        });
        continue;
      }
      const from = bySize.filter((other) => other.treeSize < c.treeSize && matchesEvents(other)).reduce((max, o) => Math.max(max, o.treeSize), 0);
      if (this.#eventsRead < c.treeSize && this.#eventsRead >= from) {
        this.#findings.add({
          kind: 'deleted',
          position: this.#eventsRead,
          range: { from, to: c.treeSize },
          checkpoint: where,
          evidence: 'range',
          detail: `the ledger has ${this.#eventsRead} events, but ${label(c.row)} signed ${c.treeSize}`,
        });
      } else {
        this.#findings.add({
          kind: 'modified',
          position: from,
          range: { from, to: c.treeSize },
          checkpoint: where,
          evidence: 'range',
          detail: `the events in [${from}, ${c.treeSize}) do not recompute to the root signed by ${label(c.row)}; the stored Merkle data could not narrow it down`,
        });
      }
    }
    return verifiedThrough;
  }
}

function label(row: CheckpointRow): string {
  return row.id < 0 ? `held checkpoint #${-row.id}` : `checkpoint id ${row.id}`;
}

/**
 * A checkpoint the verifier brought along, as a row with a negative id (-1, -2, ...) so that
 * findings can name it. Its columns are taken from the note, which is all that counts.
 */
function heldCheckpointRow(note: string, index: number): CheckpointRow {
  let parsed: ReturnType<typeof parseCheckpoint> | null = null;
  try {
    parsed = parseCheckpoint(note);
  } catch {
    // reported as checkpoint_edited when it is evaluated
  }
  const signature = parsed?.signatures[0];
  return {
    id: -(index + 1),
    treeSize: parsed?.treeSize ?? 0,
    rootHash: parsed?.rootHash ?? emptyRoot(),
    time: parsed?.time ?? new Date(0),
    origin: parsed?.origin ?? '',
    keyName: signature?.name ?? '',
    keyId: signature?.keyId ?? '',
    note,
  };
}

function eventFinding(divergence: { kind: DivergenceKind; position: number; positions: number[]; detail: string }) {
  return { kind: divergence.kind as TamperKind, position: divergence.position, positions: divergence.positions, detail: divergence.detail };
}

/**
 * At one position, the finding that says most comes first: a change of content proven
 * against the signed log, then one seen in the row itself, then a column that disagrees
 * (often only a consequence of the content change).
 */
function rank(finding: TamperFinding): number {
  if (finding.kind === 'column_modified') return 3;
  return finding.evidence === 'signed_log' ? 0 : finding.evidence === 'row' ? 2 : 1;
}

/** Findings without repeats, at most `max` of them. */
class FindingList {
  readonly #items: TamperFinding[] = [];
  readonly #seen = new Set<string>();
  truncated = false;

  constructor(private readonly max: number) {}

  add(finding: TamperFinding): void {
    const key = `${finding.kind}:${finding.position}:${finding.checkpoint?.id ?? ''}`;
    // The same kind at the same place: keep the better-founded one.
    const existing = this.#items.findIndex((f) => `${f.kind}:${f.position}:${f.checkpoint?.id ?? ''}` === key);
    if (existing >= 0 && rank(finding) < rank(this.#items[existing]!)) this.#items[existing] = finding;
    if (this.#seen.has(key)) return;
    if (this.#items.length >= this.max) {
      this.truncated = true;
      return;
    }
    this.#seen.add(key);
    this.#items.push(finding);
  }

  list(): readonly TamperFinding[] {
    return this.#items;
  }

  /** By position (findings without one last), then in the order found. */
  sorted(): TamperFinding[] {
    return this.#items
      .map((finding, order) => ({ finding, order }))
      .sort((a, b) => (a.finding.position ?? Infinity) - (b.finding.position ?? Infinity) || rank(a.finding) - rank(b.finding) || a.order - b.order)
      .map(({ finding }) => finding);
  }
}
