import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASELINE_ANOMALY_TYPES, isBaselineType } from '../anomaly.js';
import { CachedGeoLookup } from '../geo/geo-lookup.js';
import { IpLocationDbGeo } from '../geo/ip-location-db.js';
import { evaluateGenerated } from './generated.js';
import { evaluateLabelled } from './labelled.js';
import { formatGeneratedEvaluation, formatLabelledReport, formatStratusReport } from './report.js';
import { evaluateStratus } from './stratus.js';

const SHARED = resolve(import.meta.dirname, '../../../../../shared/data');
const geo = new CachedGeoLookup(new IpLocationDbGeo());

describe('labelled cases (shared/data/labelled)', () => {
  const report = evaluateLabelled(resolve(SHARED, 'labelled'), { geo });
  it('every case passes: must_include raised, must_not_include not raised, Okta included', () => {
    expect(formatLabelledReport(report)).toContain('labelled cases');
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(report.results.length).toBeGreaterThanOrEqual(21);
    expect(report.results.some((r) => r.format === 'okta')).toBe(true);
  });
  it('reads the cases without a time of their own as the ledger reads them from Kafka, not with invented values', () => {
    const timeless = report.results.filter((r) => r.note !== null);
    expect(timeless.map((r) => r.file).sort()).toEqual(['cloudtrail/aws_console_login_without_mfa/07.json', 'okta/okta_user_mfa_reset/01.json']);
    for (const r of timeless) expect(r.note).toContain('kafka_timestamp');
  });
});

describe('Stratus Red Team detonations (shared/data/cloudtrail/stratus)', () => {
  const report = evaluateStratus(resolve(SHARED, 'cloudtrail/stratus'), { geo });
  it('every technique raises exactly what a reviewer expects, alone and after a history', () => {
    expect(formatStratusReport(report)).toContain('stratus techniques');
    expect(report.results).toHaveLength(35);
    expect(report.results.filter((r) => !(r.alone.pass && r.withHistory.pass)).map((r) => r.technique)).toEqual([]);
    expect(report.results.every((r) => r.rejected === 0)).toBe(true);
  });
  it('identity-relevant techniques all raise something once the user has a history', () => {
    for (const r of report.results.filter((x) => x.identityRelevant)) expect(r.withHistory.raised.length, r.technique).toBeGreaterThan(0);
  });
});

describe('generated workload (a short run; bench/detection-eval runs the full six weeks per type)', () => {
  it('finds the seeded incidents of every baseline type with precision and recall of at least 0.9 overall', () => {
    const e = evaluateGenerated({ geo, days: 21, subjects: 36, incidents: { fromDay: 17, everyDays: 1 } });
    const text = formatGeneratedEvaluation(e);
    expect(e.incidents, text).toBeGreaterThan(25);
    const baseline = e.scores.filter((s) => isBaselineType(s.type));
    const sum = (f: (s: (typeof baseline)[number]) => number) => baseline.reduce((n, s) => n + f(s), 0);
    const precision = sum((s) => s.matched) / (sum((s) => s.matched) + sum((s) => s.falsePositives));
    const recall = sum((s) => s.detected) / (sum((s) => s.detected) + sum((s) => s.missed));
    expect(precision, text).toBeGreaterThanOrEqual(0.9);
    expect(recall, text).toBeGreaterThanOrEqual(0.9);
    // rule-based types on the classic incidents are exact
    for (const s of e.scores.filter((x) => !isBaselineType(x.type))) expect(s.falsePositives + s.missed, `${s.type}\n${text}`).toBe(0);
    expect(baseline.filter((s) => s.detected > 0).map((s) => s.type).sort()).toEqual([...BASELINE_ANOMALY_TYPES].sort());
  }, 120_000);
});
