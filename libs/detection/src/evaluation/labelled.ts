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
/**
 * Some cases are trimmed to the fields their rule reads and have no event time (nor id). The
 * evaluation reads every case as the ledger reads it from Kafka, where the shipper gives each
 * record a timestamp: a case without a time of its own takes this one (`time_source`
 * `kafka_timestamp`), and a case without an id gets the id derived from its content, exactly
 * as when the file is published to the ledger. Fixed, so that evaluations are repeatable.
 */
const LABELLED_SHIPPED_AT = Date.parse('2020-01-01T00:00:00Z');
const SHIPPED = { source: 'kafka_timestamp', epochMs: LABELLED_SHIPPED_AT } as const;

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
  const batch = normalizeText(text, format, SHIPPED);
  const note = batch.events.some((e) => e.time_source !== undefined)
    ? 'the case has no event time of its own: read as shipped over Kafka, its time is the record timestamp (time_source kafka_timestamp)'
    : null;
  if (batch.events.length === 0) {
    const reason = batch.rejected.map((r) => `${r.reason}: ${r.message}`).join('; ') || 'no event';
    return { ...base, status: 'unsupported', raised: [], note: `not accepted by normalizeMessage (${reason})` };
  }
  const raised = [...new Set(detectAll(batch.events, { geo }).map((a) => a.type))].sort();
  const has = raised.includes(type as AnomalyType);
  const status: LabelledStatus = (expectation === 'include') === has ? 'pass' : 'fail';
  return { ...base, status, raised, note };
}
