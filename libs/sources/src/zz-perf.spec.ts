import { it } from 'vitest';
import { normalizeMessage } from './index.js';
import fs from 'node:fs';
it('perf', () => {
  const dir = '/work/shared/data/cloudtrail/stratus';
  const lines: Buffer[] = [];
  for (const f of fs.readdirSync(dir)) for (const l of fs.readFileSync(`${dir}/${f}`, 'utf8').split('\n')) if (l.trim()) lines.push(Buffer.from(l));
  const now = Date.now();
  const run = (rounds: number) => { let n = 0; for (let r = 0; r < rounds; r++) for (const body of lines) n += normalizeMessage({ body, headers: { 'ledger-format': 'aws-cloudtrail' } }, { now }).events.length; return n; };
  run(30);
  for (let k = 0; k < 5; k++) {
    const t0 = process.hrtime.bigint(); const n = run(100); const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const t1 = process.hrtime.bigint(); for (let r = 0; r < 100; r++) for (const body of lines) JSON.parse(body.toString('utf8')); const base = Number(process.hrtime.bigint() - t1) / 1e6;
    console.log(`per-message: ${(n / ms * 1000).toFixed(0)} ev/s, ${(ms * 1000 / n).toFixed(2)} us/ev; decode+JSON.parse alone ${(base * 1000 / n).toFixed(2)} us`);
  }
  const file = Buffer.from(`{"Records":[${lines.map(String).join(',')}]}`);
  for (let k = 0; k < 3; k++) {
    const t0 = process.hrtime.bigint(); let n = 0; for (let r = 0; r < 100; r++) n += normalizeMessage({ body: file }, { now }).events.length; const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`delivery file: ${(n / ms * 1000).toFixed(0)} ev/s`);
  }
}, 120000);
