/**
 * The background loop of a position-driven reader (DLQ relay, projections, detection,
 * anomaly publishing): run one pass, wait, run again; a failed pass is reported and retried
 * on the next tick; `stop` waits for the pass in flight so a reader never stops half-way.
 *
 * `wake` starts the next pass at once instead of at the end of the wait: an in-process append
 * calls it, so a reader in the same process follows the ledger without polling delay, while
 * the interval still catches what other instances append.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private wakeRequested = false;
  private intervalMs = 0;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(intervalMs: number): void {
    this.stopped = false;
    this.intervalMs = intervalMs;
    this.tick();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.timer === null) {
      // A pass is running: run another right after it, since it may have started before the
      // append that woke us committed.
      this.wakeRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = null;
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    if (this.stopped) return;
    this.wakeRequested = false;
    this.running = this.pass()
      .then(() => undefined, this.onError)
      .finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(() => {
          this.timer = null;
          this.tick();
        }, this.wakeRequested ? 0 : this.intervalMs);
      });
  }
}
