import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '#logging';
import { IngestWorkerSupervisor, type WorkerProcess } from './ingest-worker-supervisor.js';
import type { MetricsJson, PrimaryToWorkerMessage } from './worker-messages.js';

/** A worker process that does what the test says, when the test says. */
class ScriptedWorker implements WorkerProcess {
  private readonly events = new EventEmitter();
  readonly sent: PrimaryToWorkerMessage[] = [];
  readonly signals: NodeJS.Signals[] = [];
  connected = true;
  /** When set, the worker exits this way on SIGTERM (as a real worker does after its batch). */
  exitOnSigterm = true;

  constructor(readonly pid: number) {}

  send(message: PrimaryToWorkerMessage): boolean {
    if (!this.connected) return false;
    this.sent.push(message);
    return true;
  }

  signal(signal: NodeJS.Signals): void {
    this.signals.push(signal);
    if (signal === 'SIGKILL') this.exit(null, 'SIGKILL');
    else if (this.exitOnSigterm) queueMicrotask(() => this.exit(0, null));
  }

  onMessage(listener: (message: unknown) => void): void {
    this.events.on('message', listener);
  }

  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    this.events.once('exit', listener);
  }

  report(message: unknown): void {
    this.events.emit('message', message);
  }

  ready(): void {
    this.report({ type: 'ledger:ingest-worker-ready' });
  }

  exit(code: number | null, signal: NodeJS.Signals | null): void {
    this.connected = false;
    this.events.emit('exit', code, signal);
  }
}

const logger = createLogger('silent', 'supervisor-test');
const backoff = { firstMs: 500, maxMs: 30_000, stableAfterMs: 60_000 };

describe('IngestWorkerSupervisor', () => {
  let workers: ScriptedWorker[];
  let nextPid: number;
  const spawn = vi.fn((_slot: number) => {
    const worker = new ScriptedWorker(nextPid++);
    workers.push(worker);
    return worker;
  });

  beforeEach(() => {
    vi.useFakeTimers();
    workers = [];
    nextPid = 1000;
    spawn.mockClear();
  });
  afterEach(() => vi.useRealTimers());

  function supervisor(count: number, options: { stopTimeoutMs?: number; onRestart?: (slot: number) => void } = {}) {
    return new IngestWorkerSupervisor(count, spawn, logger, { backoff, now: () => Date.now(), ...options });
  }

  it('starts one worker per slot, each counted as ready once its consumer reports in', () => {
    const pool = supervisor(2);
    pool.start();
    expect(spawn.mock.calls.map(([slot]) => slot)).toEqual([0, 1]);
    expect(pool.status()).toEqual({ configured: 2, ready: 0, restarts: 0 });
    workers[0]!.ready();
    expect(pool.status().ready).toBe(1);
    workers[1]!.ready();
    expect(pool.status()).toEqual({ configured: 2, ready: 2, restarts: 0 });
    expect(pool.pids()).toEqual([1000, 1001]);
  });

  it('restarts a worker killed with SIGKILL after the backoff, and counts it as down until the new one reports in', async () => {
    const restarted = vi.fn();
    const pool = supervisor(2, { onRestart: restarted });
    pool.start();
    for (const worker of workers) worker.ready();

    workers[1]!.exit(null, 'SIGKILL');
    expect(pool.status().ready).toBe(1);
    expect(pool.pids()).toEqual([1000]);
    await vi.advanceTimersByTimeAsync(499);
    expect(spawn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(spawn).toHaveBeenCalledTimes(3);
    expect(spawn.mock.calls[2]![0]).toBe(1);
    expect(restarted).toHaveBeenCalledWith(1);
    expect(pool.status()).toEqual({ configured: 2, ready: 1, restarts: 1 });
    workers[2]!.ready();
    expect(pool.status()).toEqual({ configured: 2, ready: 2, restarts: 1 });
    expect(pool.pids()).toEqual([1000, 1002]);
  });

  it('waits longer each time a worker dies again soon after starting', async () => {
    const pool = supervisor(1);
    pool.start();
    let startedAt = Date.now();
    spawn.mockImplementation(() => {
      startedAt = Date.now();
      const worker = new ScriptedWorker(nextPid++);
      workers.push(worker);
      return worker;
    });
    const delays: number[] = [];
    for (let death = 0; death < 3; death++) {
      const diedAt = Date.now();
      workers[workers.length - 1]!.exit(1, null);
      await vi.advanceTimersByTimeAsync(10_000);
      delays.push(startedAt - diedAt);
    }
    expect(delays).toEqual([500, 1_000, 2_000]);
  });

  it('on stop, asks every worker to finish (SIGTERM), waits for each, and starts none again', async () => {
    const pool = supervisor(2);
    pool.start();
    for (const worker of workers) worker.ready();
    workers[0]!.exit(null, 'SIGKILL');
    const stopped = pool.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    await stopped;
    expect(workers[1]!.signals).toEqual(['SIGTERM']);
    // The restart that was pending when the stop began never happens.
    expect(spawn).toHaveBeenCalledTimes(2);
    expect(pool.status()).toEqual({ configured: 2, ready: 0, restarts: 0 });
  });

  it('kills a worker that does not stop within the stop timeout', async () => {
    const pool = supervisor(1, { stopTimeoutMs: 5_000 });
    pool.start();
    workers[0]!.exitOnSigterm = false;
    let done = false;
    const stopped = pool.stop().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(done).toBe(false);
    expect(workers[0]!.signals).toEqual(['SIGTERM']);
    await vi.advanceTimersByTimeAsync(1);
    await stopped;
    expect(workers[0]!.signals).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('collects the metrics of the ready workers, leaving out one that does not answer in time', async () => {
    const pool = supervisor(3);
    pool.start();
    workers[0]!.ready();
    workers[1]!.ready();
    // workers[2] is still joining the group: not asked.
    // What getMetricsAsJSON yields, as it arrives over IPC (plain data).
    const sample = (value: number) =>
      [{ name: 'ledger_events_appended_total', help: 'h', type: 'counter', aggregator: 'sum', values: [{ value, labels: { channel: 'kafka' } }] }] as unknown as MetricsJson;
    const collected = pool.collectMetrics(2_000);
    expect(workers[2]!.sent).toEqual([]);
    const request = workers[0]!.sent[0]!;
    expect(request.type).toBe('ledger:metrics-request');
    // Malformed or unrelated replies are ignored.
    workers[0]!.report({ type: 'ledger:metrics-reply', metrics: sample(99) });
    workers[0]!.report({ type: 'ledger:metrics-reply', id: request.id, metrics: sample(7) });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await collected).toEqual([sample(7)]);
  });

  it('does not count a worker as ready from messages sent by one that already exited', async () => {
    const pool = supervisor(1);
    pool.start();
    const first = workers[0]!;
    first.exit(1, null);
    await vi.advanceTimersByTimeAsync(500);
    first.ready();
    expect(pool.status().ready).toBe(0);
    workers[1]!.ready();
    expect(pool.status().ready).toBe(1);
  });
});
