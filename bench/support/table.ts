import type { TableRow } from './scenario.js';

/** A plain-text table that reads well in a terminal and pasted into Markdown. */
export function renderTable(rows: TableRow[]): string {
  const header = ['scenario', 'metric', 'value', 'DESIGN 10 target', 'verdict'];
  const body = rows.map((r) => [r.scenario, r.metric, r.value, r.target ?? '', r.verdict ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
