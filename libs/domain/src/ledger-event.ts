/**
 * The canonical ledger event, version 1 (DESIGN 4).
 *
 * Every source format is normalized into this one shape. Field meanings follow OCSF and
 * PCI DSS 10.2.2: who (actor), what (type/action/target), when (time), with what outcome,
 * from where (source), and where it came from (origin). `raw` keeps the original record so
 * that an investigator can always go back to what the source actually said.
 */
export const LEDGER_EVENT_SCHEMA_VERSION = 'v1';

export const EVENT_CATEGORIES = ['identity', 'authentication', 'authorization', 'activity'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const ACTOR_KINDS = ['human', 'service', 'root', 'unknown'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const ATTRIBUTIONS = [
  'direct',
  'source_identity',
  'credential_chain',
  'session_name_claim',
  'identity_map',
  'unresolved',
] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

export const OUTCOMES = ['success', 'failure', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Where `time` came from when it is not the source record's own time field (which is the
 * default, and then `time_source` is absent). `kafka_timestamp`: the record had no time at
 * all (the field absent or null) and arrived over Kafka, so its time is the Kafka record's
 * timestamp: the time the shipper declared when it handed the record over (CreateTime), not
 * the ledger's receipt time (docs/formats.md, "Event time").
 */
export const TIME_SOURCES = ['kafka_timestamp'] as const;
export type TimeSource = (typeof TIME_SOURCES)[number];

export type FactorType = 'knowledge' | 'possession' | 'inherence';

/** `delegated`: MFA was performed by a federating identity provider, not by this source. */
export type MfaStatus = true | false | 'delegated' | 'unknown';

export interface AuthenticationFactor {
  type: FactorType;
  /** e.g. `password`, `totp`, `webauthn`, `push`, `hardware_token`, `access_key`, `ssh_key` */
  method: string;
}

export interface Actor {
  /** The accountable subject: a person or a named service, never a role. */
  subject: string;
  /** The raw principal the source names (ARN, login, uid). */
  principal: string;
  kind: ActorKind;
  /** Role, session or delegation the subject acted through, if any. */
  via: string | null;
  attribution: Attribution;
  /** Temporary or long-term credential id used (e.g. an AWS access key id), when known. */
  credential_id?: string | null;
  /** Session name claimed by the caller (unverified) when the source reports one. */
  session_name?: string | null;
  /**
   * True when the session name claims someone other than the subject that the credential
   * chain or source identity proves: itself a finding (DESIGN 5.1).
   */
  claim_contradicted?: boolean;
}

export interface Authentication {
  factors: AuthenticationFactor[];
  mfa: MfaStatus;
}

export interface Target {
  type: string;
  id: string;
  name?: string | null;
}

export interface Source {
  /** IPv4 or IPv6 in canonical form; `::ffff:a.b.c.d` folded to IPv4. Null when the source is a service. */
  ip: string | null;
  /** A service name when the call came from a provider service (e.g. `AWS Internal`, `support.amazonaws.com`). */
  service: string | null;
  user_agent: string | null;
  host: string | null;
  geo: { country: string | null; asn: number | null; as_org?: string | null } | null;
}

export interface KafkaProvenance {
  topic: string;
  partition: number;
  offset: string;
}

export interface Origin {
  /** `aws-cloudtrail`, `okta`, `linux-auth`, `ocsf`, `ledger`, or a custom producer name. */
  system: string;
  account: string | null;
  region: string | null;
  kafka: KafkaProvenance | null;
}

export interface LedgerEvent {
  schema_version: typeof LEDGER_EVENT_SCHEMA_VERSION;
  /** Source-unique id (CloudTrail `eventID`, Okta `uuid`, ...). */
  id: string;
  category: EventCategory;
  /** Dotted type, e.g. `authentication.login`, `authorization.policy.attached`. */
  type: string;
  /** Event time from the source, UTC ISO-8601 with millisecond precision. */
  time: string;
  /** Absent: `time` is the source's own. Otherwise where `time` came from instead (see TIME_SOURCES). */
  time_source?: TimeSource;
  /** When the ledger received it; never used in place of `time`. */
  received_at: string;
  actor: Actor;
  authentication: Authentication | null;
  /** Source action name (`ConsoleLogin`, `iam:AttachUserPolicy`, `sudo`). */
  action: string;
  target: Target | null;
  outcome: Outcome;
  /** Error code or message when the outcome is a failure. */
  outcome_reason: string | null;
  source: Source;
  origin: Origin;
  /** The original record, byte-faithful, as text. */
  raw: string;
}

/**
 * What a normalizer produces: everything but the receipt facts, which the ingestion
 * pipeline adds (`received_at`, Kafka provenance).
 */
export type NormalizedEvent = Omit<LedgerEvent, 'received_at'>;
