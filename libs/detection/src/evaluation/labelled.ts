import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnomalyType } from '../anomaly.js';
import { detectAll } from '../engine/detection-engine.js';
import type { GeoLookup } from '../geo/geo-lookup.js';
import { normalizeText } from './normalize-records.js';

/**
 * The labelled single-event cases (`labelled/expected.ndjson`): each event alone, in a fresh
 * engine, must raise its `must_include` type and must not raise its `must_not_include` type.
 */
export interface LabelledCase {
  file: string;
  format: string;
  must_include?: string;
  must_not_include?: string;
  test_name?: string;
}

export type LabelledStatus = 'pass' | 'fail' | 'unsupported';

export interface LabelledCaseResult {
  file: string;
  format: string;
  testName: string;
  expectation: 'include' | 'exclude';
  type: string;
  status: LabelledStatus;
  raised: AnomalyType[];
  note: string | null;
}

export interface LabelledReport {
  results: LabelledCaseResult[];
  passed: number;
  failed: number;
  unsupported: number;
}

const FORMATS: Record<string, string> = { cloudtrail: 'aws-cloudtrail', okta: 'okta' };
// some test cases are trimmed to the fields their rule reads; the ledger needs an id and a time
const PLACEHOLDER_TIME = '2020-01-01T00:00:00Z';

export function readLabelledCases(labelledDir: string): LabelledCase[] {
  return readFileSync(join(labelledDir, 'expected.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LabelledCase);
}

export function evaluateLabelled(labelledDir: string, options: { geo?: GeoLookup } = {}): LabelledReport {
  const results = readLabelledCases(labelledDir).map((c) => evaluateCase(labelledDir, c, options.geo));
  return {
    results,
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    unsupported: results.filter((r) => r.status === 'unsupported').length,
  };
}

function evaluateCase(dir: string, c: LabelledCase, geo: GeoLookup | undefined): LabelledCaseResult {
  const expectation = c.must_include !== undefined ? 'include' : 'exclude';
  const type = (c.must_include ?? c.must_not_include)!;
  const base = { file: c.file, format: c.format, testName: c.test_name ?? c.file, expectation, type } as const;
  const text = readFileSync(join(dir, c.file), 'utf8');
  const format = FORMATS[c.format] ?? c.format;
  let batch = normalizeText(text, format);
  let note: string | null = null;
  if (batch.events.length === 0 && batch.rejected.some((r) => r.reason === 'missing_event_id' || r.reason === 'missing_event_time')) {
    // the case was cut down to what its rule reads: add the id and time the ledger requires
    const record = JSON.parse(text) as Record<string, unknown>;
    const placeholders = c.format === 'okta' ? { uuid: `labelled:${c.file}`, published: PLACEHOLDER_TIME } : { eventID: `labelled:${c.file}`, eventTime: PLACEHOLDER_TIME };
    const completed = { ...placeholders, ...record };
    batch = normalizeText(JSON.stringify(completed), format);
    note = 'the case has no source id or event time; placeholders were added so that the ledger accepts it';
  }
  if (batch.events.length === 0) {
    const reason = batch.rejected.map((r) => `${r.reason}: ${r.message}`).join('; ') || 'no event';
    return { ...base, status: 'unsupported', raised: [], note: `not accepted by normalizeMessage (${reason})` };
  }
  const raised = [...new Set(detectAll(batch.events, { geo }).map((a) => a.type))].sort();
  const has = raised.includes(type as AnomalyType);
  const status: LabelledStatus = (expectation === 'include') === has ? 'pass' : 'fail';
  return { ...base, status, raised, note };
}
