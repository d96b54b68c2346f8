import type { CountryCode } from './networks.js';

/** The CloudTrail `userIdentity` block, in the key order CloudTrail delivers it. */
export interface CloudTrailUserIdentity {
  type: 'Root' | 'IAMUser' | 'AssumedRole' | 'AWSService';
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: {
    sessionIssuer?: { type?: 'Role'; principalId?: string; arn?: string; accountId?: string; userName?: string };
    webIdFederationData?: Record<string, never>;
    attributes: { creationDate: string; mfaAuthenticated: 'true' | 'false' };
    sourceIdentity?: string;
  };
  invokedBy?: string;
}

export interface CloudTrailResource {
  accountId?: string;
  type: string;
  ARN: string;
}

/** One CloudTrail record as delivered to S3 (a member of `Records`). */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: CloudTrailUserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID?: string;
  eventID: string;
  readOnly: boolean;
  resources?: CloudTrailResource[];
  eventType: 'AwsApiCall' | 'AwsConsoleSignIn';
  managementEvent: boolean;
  recipientAccountId: string;
  sharedEventID?: string;
  eventCategory: 'Management' | 'Data';
  tlsDetails?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
  sessionCredentialFromConsole?: 'true';
}

export const INCIDENT_KINDS = [
  'root_console_login_without_mfa',
  'root_access_key_created',
  'trail_stopped',
  'admin_policy_attached_to_user',
  'shared_account_two_countries',
] as const;
/**
 * Incidents for evaluating the baseline detectors (DESIGN 7), seeded only when
 * `baselineIncidents` is on: each a realistic attack on a person whose baselines are
 * established by then.
 */
export const BASELINE_INCIDENT_KINDS = [
  'stolen_password_abroad',
  'stolen_key_from_hosting',
  'night_key_use',
  'api_enumeration',
  'first_sensitive_action',
  'password_spray',
  'brute_force_login',
  'session_hijack_abroad',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number] | (typeof BASELINE_INCIDENT_KINDS)[number];

export interface SeededIncident {
  kind: IncidentKind;
  /** The accountable subject as the ledger should compute it (DESIGN 4 subject ids). */
  subject: string;
  /** The evidence records, in event-time order. */
  eventIds: string[];
  description: string;
  /** `eventTime` of the first evidence record. */
  time: string;
  /** DESIGN 7 anomaly types a complete detector should raise for this incident. */
  expectedAnomalyTypes: string[];
  /**
   * Types that may also rightly be raised, depending on the subject's history (e.g. a country
   * is new only the first time): neither required nor a false positive.
   */
  possibleAnomalyTypes?: string[];
}

export interface WorkloadSubject {
  /**
   * The accountable subject id the ledger should derive: the IAM user ARN for IAM users (also
   * for their assumed-role sessions), the e-mail (the SSO session name) for SSO people, the
   * root ARN, or the AWS service name for service principals.
   */
  id: string;
  kind: 'human' | 'service' | 'root';
  /** Display name, NFC, may contain non-ASCII letters. */
  name: string;
  userName: string | null;
  email: string | null;
  groups: string[];
  access: 'iam-user' | 'sso' | 'aws-service' | 'root';
  country: CountryCode | null;
  city: string | null;
  timeZone: string | null;
  utcOffsetMinutes: number | null;
  /** ARNs under which the subject appears in `userIdentity.arn`. */
  principals: string[];
  secondAccount: 'assume-role' | 'assume-role-without-source-identity' | 'sso' | null;
}

export interface WorkloadOptions {
  /** Same seed and options give byte-identical output. Default 42. */
  seed?: string | number;
  /**
   * Number of people (default 32). The subject list adds the CI user, the Lambda function,
   * CloudTrail and root, so the default gives 36 subjects. At least 8.
   */
  subjects?: number;
  /** Inclusive; ISO-8601, Date or epoch ms. Default 2026-11-02T00:00:00Z. */
  start?: string | Date | number;
  /** Exclusive. Default for `generateWorkload`: start + 1 day. */
  end?: string | Date | number;
  accountId?: string;
  /** The account reached through AssumeRole and SSO. Default 444455556666. */
  secondAccountId?: string;
  /** Mean API calls per person per working day. Default 120 (about 4,500 records per weekday). */
  eventsPerSubjectPerDay?: number;
  /**
   * Chance that a call by a principal allowed to write (not readonly people, not Lambda) is
   * replaced by a 5-20 KB policy write. Default 0.04, which makes about 3% of records large.
   */
  largeRecordRate?: number;
  /** One 100 KB+ record per this many records (position seeded within each block). Default 250,000. */
  hugeRecordEvery?: number;
  /** Seeded incidents every N days (0 = none). Default 7; the first day always has them. */
  incidentEveryDays?: number;
  /** Business trips and holidays (default off: the demo day stays as it was). */
  travel?: boolean;
  /** New browsers and laptops now and then (default off). */
  deviceChanges?: boolean;
  /**
   * Seeded incidents for the baseline detectors, from day `fromDay` of the range (default 16,
   * after the detectors' warm-up) every `everyDays` (default 2). Default off.
   */
  baselineIncidents?: boolean | { fromDay?: number; everyDays?: number };
}

export interface StreamWorkloadOptions extends WorkloadOptions {
  /** Stop after this many records. Without `count` and `end` the stream never ends. */
  count?: number;
  /** Called once every evidence record of an incident has been produced. */
  onIncident?: (incident: SeededIncident) => void;
}

export interface GeneratedWorkload {
  records: CloudTrailRecord[];
  incidents: SeededIncident[];
  subjects: WorkloadSubject[];
}
