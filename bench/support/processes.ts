import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/**
 * A child process of the benchmark (the ledger service, the raw consumer, the Emmett
 * appender, a CLI command) with its output kept for diagnostics and its memory sampled.
 */
export class BenchProcess {
  readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private readonly lineWaiters: Array<{ test: (line: string) => unknown; resolve: (value: unknown) => void }> = [];
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private peakRssKb = 0;
  private sampler: NodeJS.Timeout | null = null;
  readonly startedAt = process.hrtime.bigint();

  constructor(
    readonly label: string,
    command: string,
    args: string[],
    env: Record<string, string>,
    options: { cwd?: string; sampleMemory?: boolean } = {},
  ) {
    this.child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        if (this.sampler) clearInterval(this.sampler);
        resolve(this.exitInfo);
      });
    });
    if (options.sampleMemory) {
      // VmHWM is the kernel's own peak-RSS mark; sampling it often catches the final value.
      this.sampler = setInterval(() => void this.sampleMemory(), 50);
    }
  }

  private onLine(line: string): void {
    this.tail.push(line);
    if (this.tail.length > 60) this.tail.shift();
    for (const waiter of [...this.lineWaiters]) {
      const found = waiter.test(line);
      if (found) {
        this.lineWaiters.splice(this.lineWaiters.indexOf(waiter), 1);
        waiter.resolve(found);
      }
    }
  }

  private async sampleMemory(): Promise<void> {
    try {
      const status = await readFile(`/proc/${this.child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) this.peakRssKb = Math.max(this.peakRssKb, Number(hwm[1]));
    } catch {
      // gone already
    }
  }

  get peakRssBytes(): number {
    return this.peakRssKb * 1024;
  }

  output(): string {
    return this.tail.join('\n');
  }

  /** Null while running; otherwise why it stopped (for failing fast instead of timing out). */
  deathNote(): string | null {
    if (!this.exitInfo) return null;
    return `${this.label} exited early (code ${this.exitInfo.code}, signal ${this.exitInfo.signal}); last output:\n${this.output()}`;
  }

  /** Resolves with the first output line `test` accepts (its truthy result), or rejects on exit/timeout. */
  waitForLine<T>(test: (line: string) => T | null | undefined | false, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: timed out waiting for output; last output:\n${this.output()}`)), timeoutMs);
      this.lineWaiters.push({
        test,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(this.deathNote() ?? `${this.label} exited`));
      });
    });
  }

  wait(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited in time (a profile is written on the way out). */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.exitInfo) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export function nodeBinary(): string {
  return process.execPath;
}
