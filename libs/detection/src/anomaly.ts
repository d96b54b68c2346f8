import { createHash } from 'node:crypto';

/** DESIGN 7: rule-based types read single events and account state. */
export const RULE_ANOMALY_TYPES = [
  'root_account_used',
  'root_access_key_created',
  'console_login_without_mfa',
  'mfa_disabled',
  'password_policy_weakened',
  'direct_privilege_grant',
  'admin_privilege_granted',
  'audit_logging_disabled',
  'privileged_command',
  'direct_root_login',
  'root_session_unwitnessed',
  'role_session_name_mismatch',
  'dormant_account_used',
] as const;

/** DESIGN 7: baseline types compare an event with what the subject and its peers usually do. */
export const BASELINE_ANOMALY_TYPES = [
  'unfamiliar_country',
  'unfamiliar_network',
  'unfamiliar_device',
  'impossible_travel',
  'unusual_hour',
  'activity_volume_spike',
  'first_time_sensitive_action',
  'failed_login_burst',
  'brute_force_success',
  'shared_account_suspected',
] as const;

export const ANOMALY_TYPES = [...RULE_ANOMALY_TYPES, ...BASELINE_ANOMALY_TYPES] as const;
export type RuleAnomalyType = (typeof RULE_ANOMALY_TYPES)[number];
export type BaselineAnomalyType = (typeof BASELINE_ANOMALY_TYPES)[number];
export type AnomalyType = (typeof ANOMALY_TYPES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * One finding. Everything in it is a function of the ordered event history, so replaying the
 * ledger from position 0 produces the same anomalies with the same ids, byte for byte.
 */
export interface Anomaly {
  /** Deterministic: a UUID-shaped digest of type, subject and evidence event ids. */
  id: string;
  type: AnomalyType;
  severity: Severity;
  /** The accountable subject whose timeline the anomaly belongs on. */
  subject: string;
  /** Event time of the evidence that made the finding (ISO-8601 UTC, ms). */
  time: string;
  /** Ids of the ledger events that are the evidence, in event-time order. */
  evidence_event_ids: string[];
  /** Why it is unusual, in words a person can read; baseline facts included. */
  facts: string[];
  /** True when the event that completed the detection was older than the watermark. */
  late: boolean;
  /** The event whose processing raised it; null when a watermark advance without an event decided it. */
  raised_by_event_id: string | null;
  /** Machine-readable specifics of the type (countries, counts, windows...). */
  details: Record<string, unknown>;
}

export function isAnomalyType(value: string): value is AnomalyType {
  return (ANOMALY_TYPES as readonly string[]).includes(value);
}

export function isBaselineType(type: AnomalyType): type is BaselineAnomalyType {
  return (BASELINE_ANOMALY_TYPES as readonly string[]).includes(type);
}

/**
 * RFC 9562 version 8 (custom) UUID over SHA-256 of the identifying parts. The same finding
 * from the same evidence always gets the same id, which makes appending it to the ledger
 * and publishing it idempotent.
 */
export function anomalyId(type: string, subject: string, evidenceEventIds: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(type);
  hash.update('\u0000');
  hash.update(subject);
  for (const id of evidenceEventIds) {
    hash.update('\u0000');
    hash.update(id);
  }
  const hex = hash.digest('hex');
  const variant = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function severityAtLeast(severity: Severity, floor: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[floor];
}
