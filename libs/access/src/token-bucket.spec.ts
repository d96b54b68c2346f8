import { describe, expect, it } from 'vitest';
import { RateLimiter } from './token-bucket.js';

describe('RateLimiter (token bucket per key)', () => {
  function limiter(perSecond: number, burst: number, maxBuckets?: number) {
    let clock = 0;
    const rate = new RateLimiter({ perSecond, burst }, () => clock, maxBuckets);
    return { rate, advance: (ms: number) => (clock += ms) };
  }

  it('allows a burst, then refuses with the seconds until the next token', () => {
    const { rate } = limiter(2, 3);
    expect([1, 2, 3].map(() => rate.take('k').allowed)).toEqual([true, true, true]);
    expect(rate.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the configured rate, never above the burst', () => {
    const { rate, advance } = limiter(2, 3);
    for (let i = 0; i < 3; i++) rate.take('k');
    advance(500);
    expect(rate.take('k').allowed).toBe(true);
    expect(rate.take('k').allowed).toBe(false);
    advance(60_000);
    expect([1, 2, 3, 4].map(() => rate.take('k').allowed)).toEqual([true, true, true, false]);
  });

  it('keeps keys apart', () => {
    const { rate } = limiter(1, 1);
    expect(rate.take('a').allowed).toBe(true);
    expect(rate.take('a').allowed).toBe(false);
    expect(rate.take('b').allowed).toBe(true);
  });

  it('says how long to wait at a slow rate', () => {
    const { rate } = limiter(0.1, 1);
    rate.take('k');
    expect(rate.take('k')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('a rate of 0 disables limiting', () => {
    const { rate } = limiter(0, 1);
    expect(Array.from({ length: 100 }, () => rate.take('k').allowed).every(Boolean)).toBe(true);
    expect(rate.size).toBe(0);
  });

  it('stays bounded in memory: idle buckets are forgotten first', () => {
    const { rate, advance } = limiter(10, 2, 3);
    rate.take('busy');
    rate.take('busy');
    rate.take('idle-1');
    rate.take('idle-2');
    advance(1_000); // the idle ones are full again; busy too, by now
    rate.take('busy');
    rate.take('busy');
    rate.take('new');
    expect(rate.size).toBeLessThanOrEqual(3);
    expect(rate.take('busy').allowed).toBe(false);
  });
});
