import type { Logger } from 'pino';
import type { LedgerIntegrity } from '#integrity';

/**
 * Signs a checkpoint every interval when the ledger grew (DESIGN 6). Every instance runs
 * one; the tree lock lets exactly one of them extend the tree at a time, and a pass that
 * finds the lock taken is simply skipped. A backlog (first start on a large ledger) is
 * worked off in consecutive passes, one transaction and one checkpoint each.
 */
export class CheckpointWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastProblem: string | null = null;

  constructor(
    private readonly integrity: LedgerIntegrity,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.catchUp().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async catchUp(): Promise<void> {
    try {
      for (;;) {
        const { checkpoint, caughtUp } = await this.integrity.checkpointer.pass('periodic');
        if (checkpoint) this.logger.debug({ tree_size: checkpoint.treeSize }, 'checkpoint signed');
        if (caughtUp || !checkpoint || this.stopped) break;
      }
      this.lastProblem = null;
    } catch (error) {
      // An integrity refusal repeats every interval until someone acts: say it once per change.
      const message = (error as Error).message;
      if (message !== this.lastProblem) {
        this.logger.error({ error: message, reason: (error as { reason?: string }).reason }, 'checkpointing stopped: cannot extend the Merkle log');
        this.lastProblem = message;
      }
    }
  }
}
