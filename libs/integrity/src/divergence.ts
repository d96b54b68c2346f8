/**
 * Where and how a log read back from storage first departs from the log that was signed.
 *
 * The verifier feeds, position by position, the leaf hash it recomputed from the stored
 * events (`actual`) and the authenticated leaf hash of the signed log (`expected`). The
 * first difference is the first bad position; the few pairs after it tell what happened:
 *
 * - deleted:   actual[p] = expected[p+1], and the rest follows shifted by one (or the log ends);
 * - inserted:  actual[p+1] = expected[p], and the rest follows shifted by one;
 * - reordered: actual[p] = expected[q] and actual[q] = expected[p] for some q > p, with the
 *              two sequences equal in between (two events swapped);
 * - modified:  anything else (the event at p no longer hashes to what was signed).
 *
 * Leaf hashes of distinct events are distinct (each document carries its source id and
 * receipt time), so one matching neighbour is strong evidence; two are asked for where the
 * data allows.
 */
export type DivergenceKind = 'modified' | 'inserted' | 'deleted' | 'reordered';

export interface Divergence {
  kind: DivergenceKind;
  /** The first position at which the stored log differs from the signed one. */
  position: number;
  /** Every position involved: [p] or, for a swap, [p, q]. */
  positions: number[];
  detail: string;
}

type Hash = Uint8Array | undefined;

export class DivergenceDetector {
  #index = 0;
  #state: 'scanning' | 'window' | 'partner' | 'settled' = 'scanning';
  #start = 0;
  #actual: Hash[] = [];
  #expected: Hash[] = [];
  #result: Divergence | null = null;

  /** True once the divergence is classified: further pairs change nothing. */
  get settled(): boolean {
    return this.#state === 'settled';
  }

  /**
   * The next position's pair. `actual` undefined: the stored log has ended; `expected`
   * undefined: the authenticated log has ended (nothing left to compare against).
   */
  push(actual: Hash, expected: Hash): void {
    const index = this.#index++;
    switch (this.#state) {
      case 'scanning':
        if (expected === undefined) return;
        if (actual === undefined) {
          this.#settle('deleted', index, [index], `the ledger ends at position ${index}, but the signed log continues`);
        } else if (!same(actual, expected)) {
          this.#state = 'window';
          this.#start = index;
          this.#actual = [actual];
          this.#expected = [expected];
        }
        return;
      case 'window':
        this.#actual.push(actual);
        this.#expected.push(expected);
        if (this.#actual.length === 3) this.#decide();
        return;
      case 'partner': {
        const [a0, e0] = [this.#actual[0], this.#expected[0]];
        const p = this.#start;
        if (actual === undefined || expected === undefined) {
          this.#modified();
        } else if (same(actual, e0) && same(expected, a0)) {
          this.#settle('reordered', p, [p, index], `the events at positions ${p} and ${index} were swapped`);
        } else if (!same(actual, expected)) {
          this.#modified();
        }
        return;
      }
      case 'settled':
        return;
    }
  }

  /** The classified divergence, or null when the two logs agree as far as both go. */
  finish(): Divergence | null {
    if (this.#state === 'window') this.#decide();
    if (this.#state === 'partner') this.#modified();
    return this.#result;
  }

  #decide(): void {
    const [a0, a1, a2] = this.#actual;
    const [e0, e1, e2] = this.#expected;
    const p = this.#start;
    if (same(a0, e1) && same(a1, e0)) {
      this.#settle('reordered', p, [p, p + 1], `the events at positions ${p} and ${p + 1} were swapped`);
    } else if (same(a0, e1) && (a1 === undefined || e2 === undefined || same(a1, e2))) {
      this.#settle('deleted', p, [p], `the event signed at position ${p} is missing; the events after it moved up by one`);
    } else if (same(a1, e0) && (a2 === undefined || e1 === undefined || same(a2, e1))) {
      this.#settle('inserted', p, [p], `an event that was never signed was inserted at position ${p}; the events after it moved down by one`);
    } else if (a1 === undefined || e1 === undefined || same(a1, e1)) {
      // Realigned right after p: either p alone was changed, or p was swapped with a later
      // position; keep reading until the partner shows up or another difference does.
      if (a2 !== undefined && e2 !== undefined && !same(a2, e2)) {
        if (same(a2, e0) && same(e2, a0)) this.#settle('reordered', p, [p, p + 2], `the events at positions ${p} and ${p + 2} were swapped`);
        else this.#modified();
      } else if (a2 === undefined || e2 === undefined) {
        if (this.#actual.length === 3) this.#modified();
        else this.#state = 'partner';
      } else {
        this.#state = 'partner';
      }
    } else {
      this.#modified();
    }
  }

  #modified(): void {
    const p = this.#start;
    this.#settle('modified', p, [p], `the event at position ${p} is not the one that was signed`);
  }

  #settle(kind: DivergenceKind, position: number, positions: number[], detail: string): void {
    this.#state = 'settled';
    this.#result = { kind, position, positions, detail };
    this.#actual = [];
    this.#expected = [];
  }
}

function same(a: Hash, b: Hash): boolean {
  return a !== undefined && b !== undefined && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
