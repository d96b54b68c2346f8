import { LEDGER_EVENT_SCHEMA_VERSION, type NormalizedEvent, type Outcome } from '#domain';
import { contentDerivedId } from '../derived-id.js';
import { eventTimeOrTransport, parseEventTime } from '../event-time.js';
import { describeType, isJsonObject, objectField, stringField, type JsonObject } from '../json-value.js';
import { classifySourceAddress } from '../source-address.js';
import { rejectedOutcome, type NormalizeContext, type RecordOutcome } from '../source-normalizer.js';
import { cloudTrailAuthentication } from './cloudtrail-authentication.js';
import { classifyCloudTrailEvent } from './cloudtrail-classification.js';
import { resolveCloudTrailIdentity } from './cloudtrail-identity.js';
import { cloudTrailTarget } from './cloudtrail-target.js';

export const CLOUDTRAIL_SYSTEM = 'aws-cloudtrail';

/** Facts an envelope (EventBridge) adds when the record itself lacks them. */
export interface EnvelopeFacts {
  account: string | null;
  region: string | null;
  time: unknown;
}

const MAX_REASON_LENGTH = 1024;
const AMAZONAWS_SUFFIX = '.amazonaws.com';

/** One CloudTrail record to one ledger event; `raw` is its exact source text. */
export function normalizeCloudTrailRecord(
  record: unknown,
  raw: string,
  context: NormalizeContext,
  envelope: EnvelopeFacts | null = null,
): RecordOutcome {
  if (!isJsonObject(record)) return rejectedOutcome('invalid_record', `a CloudTrail record must be a JSON object, got ${describeType(record)}`);
  // A record without an eventID (absent or null; some exports and rule test cases drop it)
  // is identified by its content, so that a re-delivery still dedupes; an eventID that is
  // there but is not text is a broken record, not a missing id.
  const eventId = record.eventID;
  const id = eventId === undefined || eventId === null ? contentDerivedId(record, raw) : stringField(record, 'eventID');
  if (id === null) return rejectedOutcome('missing_event_id', 'eventID must be a non-empty string');
  const time = eventTimeOrTransport(record.eventTime ?? envelope?.time, context.transportTime, (value) => parseEventTime(value, context));
  if (!time.ok) return rejectedOutcome(time.reason, `eventTime: ${time.message}`);
  const eventName = stringField(record, 'eventName');
  if (eventName === null) return rejectedOutcome('invalid_record', 'eventName is missing or not a string');

  const eventSource = stringField(record, 'eventSource');
  const prefix = servicePrefix(eventSource);
  const region = stringField(record, 'awsRegion') ?? envelope?.region ?? null;
  const identity = resolveCloudTrailIdentity(record);
  const account = stringField(record, 'recipientAccountId') ?? envelope?.account ?? identity.account;
  const { category, type } = classifyCloudTrailEvent(prefix, eventName, stringField(record, 'eventType'));
  const [outcome, outcomeReason] = cloudTrailOutcome(record, eventName);
  const source = classifySourceAddress(record.sourceIPAddress);

  const event: NormalizedEvent = {
    schema_version: LEDGER_EVENT_SCHEMA_VERSION,
    id,
    category,
    type,
    time: time.iso,
    ...(time.timeSource === undefined ? {} : { time_source: time.timeSource }),
    actor: identity.actor,
    authentication: cloudTrailAuthentication(record, eventName, prefix, identity, outcome),
    action: prefix === '' ? eventName : `${prefix}:${eventName}`,
    target: cloudTrailTarget(record, {
      servicePrefix: prefix,
      eventName,
      category,
      partition: identity.partition,
      account,
      region,
      selfArn: identity.selfArn,
    }),
    outcome,
    outcome_reason: outcomeReason,
    source: {
      ip: source.ip,
      service: source.service,
      user_agent: stringField(record, 'userAgent'),
      host: source.host,
      geo: null,
    },
    origin: { system: CLOUDTRAIL_SYSTEM, account, region, kafka: null },
    raw,
  };
  return { ok: true, event };
}

/** `iam.amazonaws.com` → `iam`; the IAM action prefix for the services we classify. */
export function servicePrefix(eventSource: string | null): string {
  if (eventSource === null) return '';
  if (eventSource.endsWith(AMAZONAWS_SUFFIX)) return eventSource.slice(0, -AMAZONAWS_SUFFIX.length);
  const dot = eventSource.indexOf('.');
  return dot < 0 ? eventSource : eventSource.slice(0, dot);
}

/**
 * Failure when AWS reports an error code, or when a sign-in event answers "Failure" in its
 * response (ConsoleLogin, CheckMfa, SwitchRole) or service details (Identity Center sign-in).
 */
function cloudTrailOutcome(record: JsonObject, eventName: string): [Outcome, string | null] {
  const errorCode = stringField(record, 'errorCode');
  const errorMessage = stringField(record, 'errorMessage');
  if (errorCode !== null) return ['failure', clip(errorMessage !== null ? `${errorCode}: ${errorMessage}` : errorCode)];
  const answer = stringField(objectField(record, 'responseElements'), eventName) ?? stringField(objectField(record, 'serviceEventDetails'), eventName);
  if (answer !== null && answer.toLowerCase() === 'failure') return ['failure', clip(errorMessage ?? `${eventName}: Failure`)];
  return ['success', null];
}

function clip(text: string): string {
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}
