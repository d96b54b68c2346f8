import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EMMETT_DIR, REPO_ROOT } from './paths.js';
import { serverVersion } from './scratch-database.js';

const run = promisify(execFile);

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  loadAverage: number[];
}

export interface Versions {
  node: string;
  postgres: string;
  kafka: string;
  kafkajs: string;
  pg: string;
  'pg-copy-streams': string;
  autocannon: string;
  'emmett-postgresql': string;
}

export interface SourceInfo {
  commit: string;
  /** Files changed in the working tree since that commit (what was measured is the working tree). */
  uncommittedChanges: number;
}

export async function sourceInfo(): Promise<SourceInfo> {
  try {
    const { stdout: commit } = await run('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD'], { timeout: 10_000 });
    const { stdout: status } = await run('git', ['-C', REPO_ROOT, 'status', '--porcelain'], { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 });
    return { commit: commit.trim(), uncommittedChanges: status.split('\n').filter(Boolean).length };
  } catch {
    return { commit: 'not a git checkout', uncommittedChanges: 0 };
  }
}

export function machineInfo(): MachineInfo {
  return {
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function packageVersion(root: string, name: string): string {
  const file = join(root, 'node_modules', name, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : 'not installed';
}

/** The broker's version as the project's infra script reports it (the local KRaft broker). */
async function kafkaVersion(): Promise<string> {
  try {
    const { stdout, stderr } = await run('bash', [join(REPO_ROOT, 'scripts/infra/kafka.sh'), 'status'], { timeout: 20_000 });
    return /Kafka (\d+\.\d+\.\d+)/.exec(`${stdout}${stderr}`)?.[1] ?? 'unknown';
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return /Kafka (\d+\.\d+\.\d+)/.exec(`${e.stdout ?? ''}${e.stderr ?? ''}`)?.[1] ?? 'unknown';
  }
}

export async function versions(serverUrl: string): Promise<Versions> {
  return {
    node: process.version,
    postgres: await serverVersion(serverUrl).catch(() => 'unreachable'),
    kafka: await kafkaVersion(),
    kafkajs: packageVersion(REPO_ROOT, 'kafkajs'),
    pg: packageVersion(REPO_ROOT, 'pg'),
    'pg-copy-streams': packageVersion(REPO_ROOT, 'pg-copy-streams'),
    autocannon: packageVersion(REPO_ROOT, 'autocannon'),
    'emmett-postgresql': packageVersion(EMMETT_DIR, '@event-driven-io/emmett-postgresql'),
  };
}
