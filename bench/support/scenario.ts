import type { Kafka } from 'kafkajs';
import type { BenchOptions, ScenarioName, SizePlan } from './options.js';

export interface ScenarioContext {
  options: BenchOptions;
  plan: SizePlan;
  kafka: Kafka;
  log(message: string): void;
}

/** One line of the printed table. */
export interface TableRow {
  scenario: string;
  metric: string;
  value: string;
  target?: string;
  /** 'met' / 'missed' against DESIGN 10, or '' when there is no target for the figure. */
  verdict?: 'met' | 'missed' | 'n/a' | '';
}

export interface ScenarioOutcome {
  status: 'ok' | 'not-available' | 'failed';
  /** Why a scenario is not available or failed. */
  reason?: string;
  seconds?: number;
  /** os.loadavg() when the scenario ended. */
  loadAverage?: number[];
  data: Record<string, unknown>;
  rows: TableRow[];
}

export interface Scenario {
  name: ScenarioName;
  title: string;
  run(context: ScenarioContext): Promise<ScenarioOutcome>;
}

export function verdict(ok: boolean | null): 'met' | 'missed' | 'n/a' {
  return ok === null ? 'n/a' : ok ? 'met' : 'missed';
}

export function fmtNumber(value: number | null | undefined, digits = 0): string {
  if (value == null || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}
