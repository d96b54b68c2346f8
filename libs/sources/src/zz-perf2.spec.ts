import { it } from 'vitest';
import fs from 'node:fs';
import { arrayElementSpans, memberArrayElementSpans, memberValueSpan } from './json-spans.js';
it('perf', () => {
  const dir = '/work/shared/data/cloudtrail/stratus';
  const lines: string[] = [];
  for (const f of fs.readdirSync(dir)) for (const l of fs.readFileSync(`${dir}/${f}`, 'utf8').split('\n')) if (l.trim()) lines.push(l);
  const file = `{"Records":[${lines.join(',')}]}`;
  for (let k = 0; k < 5; k++) {
    let t0 = process.hrtime.bigint(); for (let r = 0; r < 50; r++) JSON.parse(file); const parse = Number(process.hrtime.bigint() - t0) / 1e6 / 50;
    t0 = process.hrtime.bigint(); for (let r = 0; r < 50; r++) { memberArrayElementSpans(file, 0, 'Records'); } const spans = Number(process.hrtime.bigint() - t0) / 1e6 / 50;
    console.log(`file ${file.length} chars: parse ${parse.toFixed(2)} ms, spans ${spans.toFixed(2)} ms`);
  }
}, 120000);
