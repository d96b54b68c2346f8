import { describe, expect, it } from 'vitest';
import { nextRestart, type RestartBackoff } from './restart-backoff.js';

const backoff: RestartBackoff = { firstMs: 500, maxMs: 30_000, stableAfterMs: 60_000 };

describe('nextRestart', () => {
  it('restarts a worker that ran fine after the first delay', () => {
    expect(nextRestart(0, 5 * 60_000, backoff)).toEqual({ delayMs: 500, failuresInARow: 1 });
  });

  it('doubles the delay for each failure in a row, up to the cap', () => {
    let failures = 0;
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      const next = nextRestart(failures, 100, backoff);
      delays.push(next.delayMs);
      failures = next.failuresInARow;
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(failures).toBe(9);
  });

  it('starts over once a restarted worker stayed up long enough', () => {
    expect(nextRestart(7, 59_999, backoff).delayMs).toBe(30_000);
    expect(nextRestart(7, 60_000, backoff)).toEqual({ delayMs: 500, failuresInARow: 1 });
  });

  it('stays finite and capped after any number of failures', () => {
    expect(nextRestart(5_000, 0, backoff).delayMs).toBe(30_000);
  });
});
