/**
 * Detection evaluation and measurements (issue #6): the labelled cases, the Stratus
 * techniques, precision and recall per anomaly type on the generated workload, detection
 * throughput and latency on one core, state size per subject, and the geo database's load
 * time, memory and lookup rate.
 *
 *   npm run build && node dist/bench/detection-eval.js [--days 42] [--seed 42] [--subjects 48] [--json]
 */
import { resolve } from 'node:path';
import {
  CachedGeoLookup,
  DetectionEngine,
  IpLocationDbGeo,
  evaluateGenerated,
  evaluateLabelled,
  evaluateStratus,
  formatGeneratedEvaluation,
  formatLabelledReport,
  formatStratusReport,
  type DetectableEvent,
} from '#detection';
import { normalizeMessage } from '#sources';
import { streamWorkload } from '#workload';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const json = process.argv.includes('--json');
const days = Number(argument('days', '42'));
const seed = argument('seed', '42');
const subjects = Number(argument('subjects', '48'));
const shared = resolve(argument('data', resolve(import.meta.dirname, '../../../shared/data')));
const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

// the geo database: load time, memory, lookup rate
const rssBefore = process.memoryUsage().rss;
const db = new IpLocationDbGeo();
const load = db.load();
const rssAfter = process.memoryUsage().rss;
const sample = Array.from({ length: 200_000 }, (_, i) => `${(i * 7919) % 223 + 1}.${(i * 31) % 256}.${(i * 17) % 256}.${(i * 13) % 256}`);
let t0 = performance.now();
for (const ip of sample) db.lookup(ip);
const uncachedPerSecond = Math.round(sample.length / ((performance.now() - t0) / 1000));
const v6 = Array.from({ length: 50_000 }, (_, i) => `2a0${i % 10}:${(i * 7).toString(16)}:${(i * 13).toString(16)}::${(i % 97).toString(16)}`);
t0 = performance.now();
for (const ip of v6) db.lookup(ip);
const v6PerSecond = Math.round(v6.length / ((performance.now() - t0) / 1000));
const geo = new CachedGeoLookup(db);
const geoReport = {
  countryLoadMs: Math.round(load.countryLoadMs),
  asnLoadMs: Math.round(load.asnLoadMs),
  asnRanges: load.asnRanges,
  rssIncreaseMb: mb(rssAfter - rssBefore),
  ipv4LookupsPerSecond: uncachedPerSecond,
  ipv6LookupsPerSecond: v6PerSecond,
};

const labelled = evaluateLabelled(resolve(shared, 'labelled'), { geo });
const stratus = evaluateStratus(resolve(shared, 'cloudtrail/stratus'), { geo });
const generated = evaluateGenerated({ geo, days, seed, subjects });

// per-event latency of the engine, feeding a pre-normalized stream at 5,000 events/s
const events: DetectableEvent[] = [];
const start = '2026-09-07T00:00:00Z';
for (const r of streamWorkload({ seed, subjects, start, end: new Date(Date.parse(start) + 21 * 86_400_000).toISOString(), travel: true, deviceChanges: true })) {
  events.push(...(normalizeMessage({ body: JSON.stringify(r), declaredFormat: 'aws-cloudtrail' }, { now: Date.parse('2030-01-01') }).events as DetectableEvent[]));
}
const engine = new DetectionEngine({ geo });
const rate = 5000;
const latencies: number[] = [];
const begin = performance.now();
for (let i = 0; i < events.length; i++) {
  const due = begin + (i * 1000) / rate;
  while (performance.now() < due) {
    // paced: an event is consumed when it is due
  }
  const t = performance.now();
  engine.process(events[i]);
  latencies.push(performance.now() - t + (t - due));
}
latencies.sort((a, b) => a - b);
const q = (p: number): number => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 1000) / 1000;
const latency = { events: events.length, ratePerSecond: rate, p50Ms: q(0.5), p99Ms: q(0.99), p999Ms: q(0.999), maxMs: q(1) };

if (json) {
  console.log(JSON.stringify({ geo: geoReport, labelled, stratus, generated: { ...generated, falsePositiveExamples: generated.falsePositiveExamples.slice(0, 10) }, latency }));
} else {
  console.log(formatLabelledReport(labelled));
  console.log();
  console.log(formatStratusReport(stratus));
  console.log();
  console.log(formatGeneratedEvaluation(generated));
  console.log();
  console.log(
    `geo database: country mmdb ${geoReport.countryLoadMs} ms, ASN table ${geoReport.asnLoadMs} ms (${load.asnRanges.ipv4} IPv4 + ${load.asnRanges.ipv6} IPv6 ranges), RSS +${geoReport.rssIncreaseMb} MB; ` +
      `${geoReport.ipv4LookupsPerSecond} uncached IPv4 and ${geoReport.ipv6LookupsPerSecond} IPv6 lookups/s`,
  );
  console.log(`engine latency per event at ${rate} events/s over ${latency.events} events: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms, p99.9 ${latency.p999Ms} ms, max ${latency.maxMs} ms`);
  for (const a of generated.falsePositiveExamples.slice(0, 10)) console.log(`false positive: ${a.type} ${a.subject} ${a.time}: ${a.facts.join(' | ').slice(0, 240)}`);
  for (const m of generated.missedExamples.slice(0, 10)) console.log(`missed: ${m.type} for ${m.incident.kind} (${m.incident.subject}, ${m.incident.time})`);
}
