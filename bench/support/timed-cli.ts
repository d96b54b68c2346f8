import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_MAIN } from './paths.js';
import { BenchProcess, nodeBinary } from './processes.js';

const TIME = '/usr/bin/time';

export interface CommandRun {
  seconds: number;
  peakRssBytes: number;
  eventsPerSecond: number;
  output: string;
}

/**
 * Runs `ledger <args> --json` as its own process against `databaseUrl`: wall time, events/s
 * over `events`, and the process's peak RSS (kernel VmHWM via /usr/bin/time when present,
 * else sampled from /proc).
 */
export async function timedCli(label: string, args: string[], databaseUrl: string, events: number): Promise<CommandRun> {
  const useTime = existsSync(TIME);
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const timeFile = join(dir, 'time.txt');
  const command = useTime ? TIME : nodeBinary();
  const commandArgs = useTime ? ['-f', '%M %e', '-o', timeFile, nodeBinary(), CLI_MAIN, '--json', ...args] : [CLI_MAIN, '--json', ...args];
  const started = process.hrtime.bigint();
  const proc = new BenchProcess(label, command, commandArgs, { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, { sampleMemory: !useTime });
  const exit = await proc.wait();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  try {
    if (exit.code !== 0) throw new Error(`ledger ${args.join(' ')} failed (exit ${exit.code}):\n${proc.output()}`);
    let peakRssBytes = proc.peakRssBytes;
    if (useTime) {
      const [kb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2);
      peakRssBytes = Number(kb) * 1024;
    }
    return { seconds, peakRssBytes, eventsPerSecond: events / seconds, output: proc.output() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
