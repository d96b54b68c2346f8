import type { IncomingMessage, IngestOutcome } from '#ingestion';
import { selfAuditEvent, type SelfAuditRecord } from './access-events.js';

export interface AuditTrailOptions {
  /** A record waits at most this long before it is appended (ms). */
  flushIntervalMs: number;
  /** Records appended per transaction at most. */
  maxBatch: number;
  /** Past this many waiting records, new calls wait for the trail to catch up (backpressure). */
  maxPending: number;
  onError?: (error: unknown, pending: number) => void;
}

export type AppendMessages = (messages: IncomingMessage[]) => Promise<Pick<IngestOutcome, 'rejections'>>;

const DEFAULTS: AuditTrailOptions = { flushIntervalMs: 200, maxBatch: 500, maxPending: 10_000 };

/**
 * The self-audit's write path (PCI DSS 10.2.1.3): records of API calls are buffered and
 * appended in small batches, one transaction per batch, so a read is never slowed by an
 * append of its own. The price is a window (flushIntervalMs plus one append) in which a
 * crash loses records of calls already answered; a graceful shutdown flushes everything
 * (see docs/api-access.md). Nothing is dropped when the database is slow or away: a failed
 * batch is retried, and past `maxPending` callers wait (admit) instead of memory growing.
 */
export class AuditTrail {
  private pending: SelfAuditRecord[] = [];
  private open = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;
  private readonly options: AuditTrailOptions;
  private openWaiters: Array<() => void> = [];

  constructor(
    private readonly append: AppendMessages,
    options: Partial<AuditTrailOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Announces a call whose record will follow once its response is complete, so that a
   * flush (shutdown, tests) waits for it. The returned function records it (or, given null,
   * only withdraws the announcement).
   */
  begin(): (record: SelfAuditRecord | null) => void {
    this.open++;
    let done = false;
    return (record) => {
      if (done) return;
      done = true;
      this.open--;
      if (record) this.record(record);
      if (this.open === 0) this.releaseOpenWaiters();
    };
  }

  record(record: SelfAuditRecord): void {
    this.pending.push(record);
    if (this.closed || this.pending.length >= this.options.maxBatch) void this.flushSoon(0);
    else void this.flushSoon(this.options.flushIntervalMs);
  }

  /** Resolves when the caller may proceed: immediately unless too many records wait. */
  async admit(): Promise<void> {
    while (this.pending.length >= this.options.maxPending) await this.drain();
  }

  /**
   * Appends every record made so far, including those of calls still being answered (waiting
   * up to `waitForOpenMs` for them). Retries a failing database until `deadlineMs` has passed;
   * returns how many records are still not appended (0 normally).
   */
  async flush(waitForOpenMs = 5_000, deadlineMs = 30_000): Promise<number> {
    const deadline = Date.now() + deadlineMs;
    if (this.open > 0) await this.openSettled(waitForOpenMs);
    while ((this.pending.length > 0 || this.flushing) && Date.now() < deadline) await this.drain();
    return this.pending.length;
  }

  /** Flushes, and from then on appends each record at once (no timer keeps a closing process waiting). */
  async close(waitForOpenMs = 5_000, deadlineMs = 30_000): Promise<number> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this.flush(waitForOpenMs, deadlineMs);
  }

  private flushSoon(delayMs: number): void {
    if (this.flushing) return; // the running append reschedules whatever is pending when it ends
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.drain();
    }, delayMs);
    this.timer.unref();
  }

  /** Starts (or joins) one append of up to maxBatch records. Never rejects. */
  private drain(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.length === 0) return Promise.resolve();
    const batch = this.pending.splice(0, this.options.maxBatch);
    this.flushing = this.appendBatch(batch).finally(() => {
      this.flushing = null;
      if (this.pending.length) {
        this.flushSoon(this.closed || this.pending.length >= this.options.maxBatch ? 0 : this.options.flushIntervalMs);
      }
    });
    return this.flushing;
  }

  private async appendBatch(batch: SelfAuditRecord[]): Promise<void> {
    try {
      const outcome = await this.append(batch.map(toMessage));
      if (outcome.rejections.length) {
        // Kept with their bytes in ledger_rejections and the DLQ, but it is a bug: say so.
        const reasons = outcome.rejections.map((r) => r.message).join('; ');
        this.options.onError?.(new Error(`self-audit records rejected: ${reasons}`), this.pending.length);
      }
    } catch (error) {
      // Back to the front, in order; retried after a pause so a database outage is not hammered.
      this.pending.unshift(...batch);
      this.options.onError?.(error, this.pending.length);
      await new Promise((resolve) => setTimeout(resolve, Math.max(this.options.flushIntervalMs, 100)).unref());
    }
  }

  private openSettled(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.openWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private releaseOpenWaiters(): void {
    const waiters = this.openWaiters;
    this.openWaiters = [];
    for (const release of waiters) release();
  }
}

function toMessage(record: SelfAuditRecord): IncomingMessage {
  return { body: Buffer.from(JSON.stringify(selfAuditEvent(record)), 'utf8'), headers: {}, declaredFormat: 'canonical', kafka: null };
}
