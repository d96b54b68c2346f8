import type { Logger } from 'pino';
import { DEFAULT_RESTART_BACKOFF, nextRestart, type RestartBackoff } from './restart-backoff.js';
import { isMetricsReply, isWorkerReady, type MetricsJson, type PrimaryToWorkerMessage } from './worker-messages.js';

/** One worker process as the supervisor sees it (a node:cluster worker in the service; a fake in unit tests). */
export interface WorkerProcess {
  readonly pid: number | undefined;
  /** false when the message could not be sent (the worker is gone or going). */
  send(message: PrimaryToWorkerMessage): boolean;
  signal(signal: NodeJS.Signals): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

/** Starts the worker for a slot (0 .. count-1). */
export type SpawnWorker = (slot: number) => WorkerProcess;

export interface IngestWorkersStatus {
  configured: number;
  /** Workers whose consumer has joined the group and that have not exited since. */
  ready: number;
  /** Workers started again after one exited, since the service started. */
  restarts: number;
}

export interface SupervisorOptions {
  backoff?: RestartBackoff;
  /** How long a worker may take to finish its batch in flight and leave the group before it is killed. */
  stopTimeoutMs?: number;
  /** Called when a worker is started again after one exited (for metrics). */
  onRestart?: (slot: number) => void;
  now?: () => number;
}

interface Slot {
  index: number;
  worker: WorkerProcess | null;
  exited: Promise<void> | null;
  ready: boolean;
  startedAt: number;
  failuresInARow: number;
  restartTimer: NodeJS.Timeout | null;
}

/**
 * Keeps LEDGER_INGEST_WORKERS ingest workers running for the service's primary process: a
 * worker that exits for any reason (a crash, SIGKILL, the OOM killer) is started again after
 * a short, growing delay; on shutdown each worker is asked to stop (SIGTERM: it finishes the
 * batch in flight, leaves the consumer group and exits) and is killed only if it does not
 * within the stop timeout. Exactly-once does not depend on any of this: a worker killed at
 * any point loses nothing, because its offsets are stored in the append transaction.
 */
export class IngestWorkerSupervisor {
  private readonly slots: Slot[];
  private readonly backoff: RestartBackoff;
  private readonly stopTimeoutMs: number;
  private readonly now: () => number;
  private stopping = false;
  private restarts = 0;
  private nextRequestId = 0;
  private readonly metricsReplies = new Map<number, (metrics: MetricsJson) => void>();

  constructor(
    count: number,
    private readonly spawn: SpawnWorker,
    private readonly logger: Logger,
    private readonly options: SupervisorOptions = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_RESTART_BACKOFF;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 25_000;
    this.now = options.now ?? Date.now;
    this.slots = Array.from({ length: count }, (_, index) => ({
      index,
      worker: null,
      exited: null,
      ready: false,
      startedAt: 0,
      failuresInARow: 0,
      restartTimer: null,
    }));
  }

  start(): void {
    this.stopping = false;
    for (const slot of this.slots) this.launch(slot);
  }

  status(): IngestWorkersStatus {
    return { configured: this.slots.length, ready: this.slots.filter((slot) => slot.ready).length, restarts: this.restarts };
  }

  /** Process ids of the workers running now (for operators and tests). */
  pids(): number[] {
    return this.slots.flatMap((slot) => (slot.worker?.pid === undefined ? [] : [slot.worker.pid]));
  }

  /** Stops every worker gracefully (SIGKILL after the stop timeout) and starts none again. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
    }
    await Promise.all(
      this.slots.map(async (slot) => {
        const { worker, exited } = slot;
        if (!worker || !exited) return;
        worker.signal('SIGTERM');
        const killer = setTimeout(() => {
          this.logger.warn({ slot: slot.index, pid: worker.pid, timeoutMs: this.stopTimeoutMs }, 'ingest worker did not stop in time; killing it');
          worker.signal('SIGKILL');
        }, this.stopTimeoutMs);
        await exited;
        clearTimeout(killer);
      }),
    );
  }

  /**
   * Each ready worker's metrics, as JSON for AggregatorRegistry.aggregate. A worker that does
   * not answer within `timeoutMs` (dying, busy past reason) is left out rather than failing
   * the whole scrape.
   */
  async collectMetrics(timeoutMs = 2_000): Promise<MetricsJson[]> {
    const ready = this.slots.filter((slot) => slot.ready && slot.worker);
    const replies = await Promise.all(ready.map((slot) => this.requestMetrics(slot.worker!, timeoutMs)));
    return replies.filter((metrics): metrics is MetricsJson => metrics !== null);
  }

  private requestMetrics(worker: WorkerProcess, timeoutMs: number): Promise<MetricsJson | null> {
    const id = this.nextRequestId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.metricsReplies.delete(id);
        resolve(null);
      }, timeoutMs);
      this.metricsReplies.set(id, (metrics) => {
        clearTimeout(timer);
        this.metricsReplies.delete(id);
        resolve(metrics);
      });
      if (!worker.send({ type: 'ledger:metrics-request', id })) {
        clearTimeout(timer);
        this.metricsReplies.delete(id);
        resolve(null);
      }
    });
  }

  private launch(slot: Slot): void {
    slot.ready = false;
    slot.startedAt = this.now();
    let worker: WorkerProcess;
    try {
      worker = this.spawn(slot.index);
    } catch (error) {
      // e.g. EAGAIN from fork under memory pressure: treated like a worker that died at once.
      this.scheduleRestart(slot, { error: String(error) });
      return;
    }
    slot.worker = worker;
    slot.exited = new Promise<void>((resolve) => {
      worker.onExit((code, signal) => {
        this.exitedWorker(slot, worker, code, signal);
        resolve();
      });
    });
    worker.onMessage((message) => {
      if (isWorkerReady(message)) {
        if (slot.worker !== worker) return;
        slot.ready = true;
        this.logger.info({ slot: slot.index, pid: worker.pid }, 'ingest worker ready');
      } else if (isMetricsReply(message)) {
        this.metricsReplies.get(message.id)?.(message.metrics);
      }
    });
    this.logger.info({ slot: slot.index, pid: worker.pid }, 'ingest worker started');
  }

  private exitedWorker(slot: Slot, worker: WorkerProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (slot.worker !== worker) return;
    slot.worker = null;
    slot.exited = null;
    slot.ready = false;
    if (this.stopping) {
      this.logger.info({ slot: slot.index, pid: worker.pid, code, signal }, 'ingest worker stopped');
      return;
    }
    this.scheduleRestart(slot, { pid: worker.pid, code, signal });
  }

  private scheduleRestart(slot: Slot, why: Record<string, unknown>): void {
    if (this.stopping) return;
    const { delayMs, failuresInARow } = nextRestart(slot.failuresInARow, this.now() - slot.startedAt, this.backoff);
    slot.failuresInARow = failuresInARow;
    this.logger.warn({ slot: slot.index, ...why, failuresInARow, restartInMs: delayMs }, 'ingest worker exited; restarting it');
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = null;
      if (this.stopping) return;
      this.restarts++;
      this.options.onRestart?.(slot.index);
      this.launch(slot);
    }, delayMs);
  }
}
