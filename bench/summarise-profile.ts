import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './support/paths.js';

/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function and per
 * stage of the ingest path, so that "the slowest stage" is a measured statement.
 *
 *   node dist/bench/summarise-profile.js [FILE.cpuprofile | DIR] [--top N]
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionCost {
  function: string;
  location: string;
  stage: string;
  selfMs: number;
  selfPercent: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Time the process was busy (total minus idle and GC-free waiting). */
  busyMs: number;
  /**
   * Each busy sample charged to the innermost project library on its stack (so JSON.parse
   * called by a normalizer counts for normalizing, pg serialization called by the repository
   * for appending); samples with no project code on the stack go by where they ran.
   */
  stages: Array<{ stage: string; ms: number; percentOfBusy: number }>;
  /** Self time only, by where the code lives. */
  selfStages: Array<{ stage: string; ms: number; percentOfBusy: number }>;
  top: FunctionCost[];
}

/**
 * Which part of the ingest path a function belongs to, judged by where its code lives.
 * The order matters: the first match wins.
 */
const STAGES: Array<[RegExp, string]> = [
  [/libs\/sources\//, 'normalize (libs/sources)'],
  [/libs\/attribution\//, 'attribute (libs/attribution)'],
  [/libs\/integrity\/|prepared-event/, 'integrity: canonical JSON + hashing'],
  [/libs\/event-store\//, 'append: event-store repository'],
  [/libs\/ingestion\//, 'ingest service / consumer'],
  [/libs\/(projections?|detection)\//, 'projections / detection'],
  [/libs\/access\//, 'access: API keys, self-audit'],
  [/apps\/ledger-service\/src\/api\//, 'api: controllers, parameters, responses'],
  [/node_modules\/(pg|pg-protocol|pg-types|pg-pool|postgres-\w+)\//, 'pg driver (serialize, protocol)'],
  [/node_modules\/kafkajs\//, 'kafkajs (fetch, decode)'],
  [/node_modules\/(pino|sonic-boom|thread-stream)/, 'logging'],
  [/node_modules\/@nestjs|node_modules\/express/, 'http framework'],
  [/node_modules\//, 'other dependencies'],
  [/^node:|^internal\//, 'node internals (streams, buffers, crypto)'],
];

const PROJECT_STAGE = /^(normalize|attribute|integrity|append|ingest service|projections|access|api)/;

function stageOf(frame: CallFrame): string {
  if (frame.functionName === '(idle)' || frame.functionName === '(program)') return frame.functionName;
  if (frame.functionName === '(garbage collector)') return 'garbage collection';
  for (const [pattern, stage] of STAGES) if (pattern.test(frame.url)) return stage;
  // Builtins (JSON.parse/stringify, RegExp, Buffer natives) have no url.
  return frame.url ? 'other' : `V8 builtins (${frame.functionName || 'anonymous'})`;
}

function shortLocation(frame: CallFrame): string {
  if (!frame.url) return '(native)';
  const path = frame.url.startsWith('file://') ? new URL(frame.url).pathname : frame.url;
  const rel = path.startsWith(REPO_ROOT) ? relative(REPO_ROOT, path) : path;
  return `${rel}:${frame.lineNumber + 1}`;
}

export function summariseProfile(file: string, topN = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const attributed = new Map<number, string>();
  const attributedStage = (id: number): string => {
    const known = attributed.get(id);
    if (known) return known;
    let stage: string | null = null;
    for (let at: number | undefined = id; at !== undefined && stage === null; at = parent.get(at)) {
      const candidate = stageOf(byId.get(at)!.callFrame);
      if (PROJECT_STAGE.test(candidate)) stage = candidate;
    }
    const own = stageOf(byId.get(id)!.callFrame);
    const result = stage ?? (own.startsWith('V8 builtins') ? 'V8 builtins (JSON, RegExp, strings)' : own);
    attributed.set(id, result);
    return result;
  };
  const inclusiveStages = new Map<string, number>();
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const functions = new Map<string, { frame: CallFrame; us: number }>();
  const stages = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    totalUs += us;
    if (frame.functionName === '(idle)') idleUs += us;
    const stage = stageOf(frame);
    const builtinStage = stage.startsWith('V8 builtins') ? 'V8 builtins (JSON, RegExp, strings)' : stage;
    stages.set(builtinStage, (stages.get(builtinStage) ?? 0) + us);
    const charged = attributedStage(id);
    inclusiveStages.set(charged, (inclusiveStages.get(charged) ?? 0) + us);
    const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`;
    const entry = functions.get(key) ?? { frame, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  const busyUs = totalUs - idleUs;
  const top = [...functions.values()]
    .filter((f) => f.frame.functionName !== '(idle)')
    .sort((a, b) => b.us - a.us)
    .slice(0, topN)
    .map((f) => ({
      function: f.frame.functionName || '(anonymous)',
      location: shortLocation(f.frame),
      stage: stageOf(f.frame),
      selfMs: Math.round(f.us / 100) / 10,
      selfPercent: busyUs ? Math.round((f.us / busyUs) * 1000) / 10 : 0,
    }));
  return {
    file,
    totalMs: Math.round(totalUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    stages: byShare(inclusiveStages, busyUs),
    selfStages: byShare(stages, busyUs),
    top,
  };
}

function byShare(stages: Map<string, number>, busyUs: number): Array<{ stage: string; ms: number; percentOfBusy: number }> {
  return [...stages]
    .filter(([stage]) => stage !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .map(([stage, us]) => ({ stage, ms: Math.round(us / 1000), percentOfBusy: busyUs ? Math.round((us / busyUs) * 1000) / 10 : 0 }));
}

/** The newest `.cpuprofile` in a folder (node names them by time and pid). */
export function newestProfile(dir: string): string | null {
  let best: { path: string; mtime: number } | null = null;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.cpuprofile')) continue;
    const path = join(dir, name);
    const mtime = statSync(path).mtimeMs;
    if (!best || mtime > best.mtime) best = { path, mtime };
  }
  return best?.path ?? null;
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const lines = [
    `CPU profile ${relative(REPO_ROOT, summary.file)}: ${summary.totalMs} ms sampled, ${summary.busyMs} ms busy`,
    '',
    'busy time by stage, charged to the innermost project library on the stack (% of busy time):',
    ...summary.stages.map((s) => `  ${s.percentOfBusy.toFixed(1).padStart(5)}%  ${String(s.ms).padStart(7)} ms  ${s.stage}`),
    '',
    'self time by where the code lives (% of busy time):',
    ...summary.selfStages.map((s) => `  ${s.percentOfBusy.toFixed(1).padStart(5)}%  ${String(s.ms).padStart(7)} ms  ${s.stage}`),
    '',
    `top ${summary.top.length} functions by self time:`,
    ...summary.top.map((f) => `  ${f.selfPercent.toFixed(1).padStart(5)}%  ${f.selfMs.toFixed(1).padStart(8)} ms  ${f.function}  ${f.location}  [${f.stage}]`),
  ];
  return lines.join('\n');
}

function main(argv: string[]): void {
  let target = resolve(REPO_ROOT, 'bench/results/profiles');
  let top = 20;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') top = Number(argv[++i]);
    else target = resolve(argv[i]!);
  }
  const file = statSync(target).isDirectory() ? newestProfile(target) : target;
  if (!file) {
    process.stderr.write(`no .cpuprofile in ${target}\n`);
    process.exit(1);
  }
  process.stdout.write(`${formatProfileSummary(summariseProfile(file, top))}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
