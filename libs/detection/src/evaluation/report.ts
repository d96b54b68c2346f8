import { isBaselineType } from '../anomaly.js';
import type { GeneratedEvaluation } from './generated.js';
import type { LabelledReport } from './labelled.js';
import type { StratusReport } from './stratus.js';

/** Plain-text tables for the evaluation command and the benchmark script. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const ratio = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));

export function formatGeneratedEvaluation(e: GeneratedEvaluation): string {
  const rows = e.scores
    .filter((s) => s.detected + s.missed + s.warmup + s.matched + s.tolerated + s.falsePositives > 0)
    .map((s) => [
      `${s.type}${isBaselineType(s.type) ? '' : ' (rule)'}`,
      String(s.detected + s.missed),
      String(s.detected),
      String(s.missed),
      String(s.matched),
      String(s.falsePositives),
      String(s.tolerated),
      String(s.warmup),
      ratio(s.precision),
      ratio(s.recall),
    ]);
  const p = e.performance;
  return [
    `generated workload: seed ${e.seed}, ${e.days} days, ${e.records} records -> ${e.events} events (${e.rejected} rejected), ${e.subjects} subjects, ${e.incidents} seeded incidents, ${e.anomalies} anomalies`,
    table(['type', 'incidents', 'detected', 'missed', 'anomalies ok', 'false pos', 'tolerated', 'warm-up', 'precision', 'recall'], rows),
    `detection: ${p.detectMs} ms for ${e.events} events = ${p.eventsPerSecond} events/s on one core (normalization ${p.normalizeMs} ms, not included); state ${Math.round(p.stateBytes / 1024)} KiB serialized = ${p.stateBytesPerSubject} bytes per subject`,
  ].join('\n');
}

export function formatLabelledReport(r: LabelledReport): string {
  const rows = r.results.map((x) => [x.file, `${x.expectation === 'include' ? 'must raise' : 'must not raise'} ${x.type}`, x.status, x.raised.join(', ') || '-']);
  return [`labelled cases: ${r.passed} pass, ${r.failed} fail, ${r.unsupported} unsupported`, table(['case', 'expectation', 'result', 'raised'], rows)].join('\n');
}

export function formatStratusReport(r: StratusReport): string {
  const rows = r.results.map((x) => [
    x.technique,
    x.identityRelevant ? 'yes' : 'no',
    x.alone.raised.join(', ') || '-',
    x.withHistory.raised.join(', ') || '-',
    x.alone.pass && x.withHistory.pass ? 'pass' : `FAIL (expected ${x.alone.expected.join(', ') || '-'} / ${x.withHistory.expected.join(', ') || '-'})`,
  ]);
  return [`stratus techniques: ${r.passed} pass, ${r.failed} fail`, table(['technique', 'identity', 'raised alone', 'raised after 30 days of history', 'result'], rows)].join('\n');
}
