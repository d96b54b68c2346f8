import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DivergenceDetector, type Divergence } from './divergence.js';

const h = (label: string | number) => createHash('sha256').update(String(label)).digest();
const signed = Array.from({ length: 12 }, (_, i) => h(i));

/** Feeds both sequences position by position, as the verifier does, and classifies. */
function classify(actual: Buffer[], expected: Buffer[] = signed): Divergence | null {
  const detector = new DivergenceDetector();
  for (let i = 0; i < Math.max(actual.length, expected.length) && !detector.settled; i++) detector.push(actual[i], expected[i]);
  return detector.finish();
}

const without = (i: number) => signed.filter((_, j) => j !== i);
const withInserted = (i: number) => [...signed.slice(0, i), h('forged'), ...signed.slice(i)];
const swapped = (i: number, j: number) => signed.map((x, k) => (k === i ? signed[j] : k === j ? signed[i] : x));
const replaced = (i: number) => signed.map((x, k) => (k === i ? h('changed') : x));

describe('DivergenceDetector', () => {
  it('finds nothing when the logs agree, or when the stored log only goes further', () => {
    expect(classify(signed)).toBeNull();
    expect(classify([...signed, h('new')])).toBeNull();
    expect(classify(signed.slice(0, 5), signed.slice(0, 5))).toBeNull();
  });

  it('names a modified event', () => {
    for (const i of [0, 5, 10, 11]) expect(classify(replaced(i))).toMatchObject({ kind: 'modified', position: i, positions: [i] });
  });

  it('names a deleted event, with the later events moved up or the end cut off', () => {
    for (const i of [0, 4, 10, 11]) expect(classify(without(i))).toMatchObject({ kind: 'deleted', position: i });
    expect(classify(signed.slice(0, 7))).toMatchObject({ kind: 'deleted', position: 7 });
  });

  it('names an inserted event', () => {
    for (const i of [0, 4, 11]) expect(classify(withInserted(i))).toMatchObject({ kind: 'inserted', position: i });
  });

  it('names two swapped events, adjacent or far apart', () => {
    expect(classify(swapped(3, 4))).toMatchObject({ kind: 'reordered', position: 3, positions: [3, 4] });
    expect(classify(swapped(3, 5))).toMatchObject({ kind: 'reordered', positions: [3, 5] });
    expect(classify(swapped(2, 9))).toMatchObject({ kind: 'reordered', positions: [2, 9] });
    expect(classify(swapped(0, 11))).toMatchObject({ kind: 'reordered', positions: [0, 11] });
  });

  it('calls a change without a recognisable shift or partner a modification at the first position', () => {
    const twoChanged = replaced(3).map((x, k) => (k === 7 ? h('other') : x));
    expect(classify(twoChanged)).toMatchObject({ kind: 'modified', position: 3 });
    const run = signed.map((x, k) => (k >= 3 && k < 6 ? h(`run ${k}`) : x));
    expect(classify(run)).toMatchObject({ kind: 'modified', position: 3 });
  });

  it('stops comparing where the signed log ends', () => {
    expect(classify([...signed.slice(0, 6), h('x'), h('y')], signed.slice(0, 6))).toBeNull();
    expect(classify(replaced(5).slice(0, 6), signed.slice(0, 6))).toMatchObject({ kind: 'modified', position: 5 });
  });
});
