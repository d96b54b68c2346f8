export interface RateLimitSettings {
  /** Sustained requests per second per bucket; 0 disables limiting. */
  perSecond: number;
  /** Requests a bucket may make at once after being idle. */
  burst: number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets in process memory, one per key (API key id, or a source address for failed
 * attempts). Each instance limits on its own: N instances behind a balancer allow up to N
 * times the rate, which docs/api-access.md states.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number = () => performance.now(),
    /** Past this many buckets, full (idle) ones are forgotten: they are equal to a new one. */
    private readonly maxBuckets = 10_000,
  ) {}

  take(key: string): TakeResult {
    const { perSecond, burst } = this.settings;
    if (perSecond <= 0) return { allowed: true };
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxBuckets) this.forgetIdle(now);
      bucket = { tokens: burst, updatedAt: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * perSecond);
      bucket.updatedAt = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private forgetIdle(now: number): void {
    const { perSecond, burst } = this.settings;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updatedAt) / 1000) * perSecond >= burst) this.buckets.delete(key);
    }
    // Still full of active buckets: drop the oldest rather than grow without bound.
    if (this.buckets.size >= this.maxBuckets) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
}
