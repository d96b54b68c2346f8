import {
  LEDGER_EVENT_SCHEMA_VERSION,
  type Authentication,
  type AuthenticationFactor,
  type MfaStatus,
  type NormalizedEvent,
  type Outcome,
  type Target,
} from '#domain';
import { classifyCloudTrailEvent } from '../cloudtrail/cloudtrail-classification.js';
import { servicePrefix } from '../cloudtrail/cloudtrail-record.js';
import { contentDerivedId } from '../derived-id.js';
import { eventTimeFromEpochMillis, eventTimeOrTransport, parseEventTime, type EventTimeResult } from '../event-time.js';
import { arrayField, describeType, integerField, isJsonObject, isTrueish, objectField, stringField, textField, type JsonObject } from '../json-value.js';
import { classifySourceAddress } from '../source-address.js';
import { emit, rejectedOutcome, type NormalizeContext, type RecordOutcome, type RecordSink, type SourceNormalizer } from '../source-normalizer.js';
import { nfc, nfcOrNull } from '../unicode.js';
import { OCSF_CLASSES, classifyOcsfActivity } from './ocsf-classes.js';
import { productKey, resolveOcsfSubject, userTarget } from './ocsf-identity.js';

export const OCSF_SYSTEM = 'ocsf';

const AUTHENTICATION_CLASS = 3002;
const AUTHORIZE_SESSION_CLASS = 3003;
const API_ACTIVITY_CLASS = 6003;

/**
 * OCSF 1.x records (one JSON object per event, as OCSF producers and Amazon Security Lake
 * write them): the IAM classes 3001-3008 and API Activity 6003. Other classes are recognised
 * and rejected as `unsupported_event`, so that a misrouted stream is visible in the DLQ.
 */
export const ocsfNormalizer: SourceNormalizer = {
  format: 'ocsf',

  detects(value: unknown): boolean {
    if (!isJsonObject(value) || integerField(value, 'class_uid') === null) return false;
    return isJsonObject(value.metadata) || value.activity_id !== undefined || value.category_uid !== undefined || value.type_uid !== undefined;
  },

  normalize(value: unknown, raw: string, context: NormalizeContext, sink: RecordSink): void {
    emit(normalizeOcsfRecord(value, raw, context), raw, sink);
  },
};

export function normalizeOcsfRecord(record: unknown, raw: string, context: NormalizeContext): RecordOutcome {
  if (!isJsonObject(record)) return rejectedOutcome('invalid_record', `an OCSF record must be a JSON object, got ${describeType(record)}`);
  const classUid = integerField(record, 'class_uid');
  if (classUid === null) return rejectedOutcome('invalid_record', 'class_uid is missing or not an integer');
  const activity = classifyOcsfActivity(classUid, activityIdOf(record, classUid), stringField(record, 'activity_name'));
  if (activity === null) {
    const name = stringField(record, 'class_name');
    return rejectedOutcome(
      'unsupported_event',
      `OCSF class ${classUid}${name ? ` (${name})` : ''} is not one the ledger reads (IAM 3001-3008, API Activity 6003)`,
    );
  }
  const time = ocsfTime(record, context);
  if (!time.ok) return rejectedOutcome(time.reason, `time: ${time.message}`);
  const metadata = objectField(record, 'metadata');
  const uid = metadata?.uid;
  if (uid !== undefined && uid !== null && textField(metadata, 'uid') === null) {
    return rejectedOutcome('missing_event_id', 'metadata.uid must be a non-empty string');
  }
  const id = textField(metadata, 'uid') ?? contentDerivedId(record, raw);

  const product = productKey(metadata);
  const primaryUser = classUid === AUTHENTICATION_CLASS || classUid === AUTHORIZE_SESSION_CLASS ? objectField(record, 'user') : null;
  const { actor } = resolveOcsfSubject(record, primaryUser, product);
  const [outcome, outcomeReason] = ocsfOutcome(record);

  let { category, type } = activity;
  let action = activity.caption ?? OCSF_CLASSES[classUid]!.name;
  const api = objectField(record, 'api');
  const operation = stringField(api, 'operation');
  if (operation !== null) {
    const service = stringField(objectField(api, 'service'), 'name');
    if (classUid === API_ACTIVITY_CLASS && service !== null && service.endsWith('.amazonaws.com')) {
      // CloudTrail through Security Lake: the same types and action names as native CloudTrail
      const prefix = servicePrefix(service);
      ({ category, type } = classifyCloudTrailEvent(prefix, operation, null));
      action = `${prefix}:${operation}`;
    } else {
      action = operation;
    }
  }

  const src = objectField(record, 'src_endpoint');
  const address = classifySourceAddress(src?.ip);
  const service = address.service ?? stringField(src, 'svc_name');
  const cloud = objectField(record, 'cloud');
  const event: NormalizedEvent = {
    schema_version: LEDGER_EVENT_SCHEMA_VERSION,
    id,
    category,
    type,
    time: time.iso,
    ...(time.timeSource === undefined ? {} : { time_source: time.timeSource }),
    actor,
    authentication: ocsfAuthentication(record, classUid, outcome),
    action: nfc(action),
    target: ocsfTarget(record, classUid, product),
    outcome,
    outcome_reason: outcomeReason,
    source: {
      ip: address.ip,
      service: address.ip === null ? nfcOrNull(service) : null,
      user_agent: stringField(objectField(record, 'http_request'), 'user_agent'),
      host: nfcOrNull(address.host ?? stringField(src, 'hostname') ?? stringField(src, 'host') ?? stringField(src, 'name')),
      geo: null,
    },
    origin: {
      system: OCSF_SYSTEM,
      account: textField(objectField(cloud, 'account'), 'uid') ?? textField(cloud, 'account_uid'),
      region: stringField(cloud, 'region'),
      kafka: null,
    },
    raw,
  };
  return { ok: true, event };
}

/** `activity_id`, else the last two digits of `type_uid` (class_uid * 100 + activity_id). */
function activityIdOf(record: JsonObject, classUid: number): number | null {
  const activityId = integerField(record, 'activity_id');
  if (activityId !== null) return activityId;
  const typeUid = integerField(record, 'type_uid');
  if (typeUid === null) return null;
  const rest = typeUid - classUid * 100;
  return rest >= 0 && rest <= 99 ? rest : null;
}

/**
 * `time` is epoch milliseconds (a number, or digits in a string); `time_dt` the same instant as
 * text. With neither, the transport's time if there is one (eventTimeOrTransport).
 */
function ocsfTime(record: JsonObject, context: NormalizeContext): EventTimeResult {
  const time = record.time;
  if (typeof time === 'number') return eventTimeFromEpochMillis(time, context);
  if (typeof time === 'string' && /^\d{1,16}$/.test(time.trim())) return eventTimeFromEpochMillis(Number(time.trim()), context);
  if (record.time_dt !== undefined && record.time_dt !== null) return parseEventTime(record.time_dt, context);
  if (typeof time === 'string') return parseEventTime(time, context);
  if (time === undefined || time === null) {
    if (context.transportTime !== null) return eventTimeOrTransport(null, context.transportTime, () => parseEventTime(null, context));
    return { ok: false, reason: 'missing_event_time', message: 'event time is missing (neither time nor time_dt)' };
  }
  return { ok: false, reason: 'invalid_event_time', message: `time must be epoch milliseconds, got ${describeType(time)}` };
}

/** status_id 1 Success, 2 Failure (0 Unknown, 99 Other: read the `status` caption). */
function ocsfOutcome(record: JsonObject): [Outcome, string | null] {
  const statusId = integerField(record, 'status_id');
  let outcome: Outcome = statusId === 1 ? 'success' : statusId === 2 ? 'failure' : 'unknown';
  if (outcome === 'unknown') {
    const status = stringField(record, 'status')?.trim().toLowerCase();
    if (status === 'success' || status === 'succeeded') outcome = 'success';
    else if (status === 'failure' || status === 'failed') outcome = 'failure';
  }
  if (outcome !== 'failure') return [outcome, null];
  const response = objectField(objectField(record, 'api'), 'response');
  const reason =
    stringField(record, 'status_detail') ??
    textField(record, 'status_code') ??
    stringField(response, 'error_message') ??
    stringField(response, 'error') ??
    stringField(record, 'message');
  return [outcome, reason];
}

// OCSF auth_factor factor_type_id
const FACTOR_BY_ID: Readonly<Record<number, AuthenticationFactor>> = {
  1: { type: 'possession', method: 'sms' },
  2: { type: 'knowledge', method: 'security_question' },
  3: { type: 'possession', method: 'voice' },
  4: { type: 'inherence', method: 'biometric' },
  5: { type: 'possession', method: 'push' },
  6: { type: 'possession', method: 'hardware_token' },
  7: { type: 'possession', method: 'totp' },
  8: { type: 'possession', method: 'email' },
  9: { type: 'possession', method: 'webauthn' },
  10: { type: 'possession', method: 'webauthn' },
  11: { type: 'knowledge', method: 'password' },
};
const FACTOR_BY_NAME: Readonly<Record<string, number>> = {
  sms: 1, securityquestion: 2, phonecall: 3, biometric: 4, pushnotification: 5, push: 5, hardwaretoken: 6,
  otp: 7, totp: 7, email: 8, u2f: 9, webauthn: 10, password: 11,
};
// auth_protocol_id: 4 OpenID, 5 SAML, 6 OAuth 2.0 federate the sign-in to an identity provider
const FEDERATED_PROTOCOLS = new Set([4, 5, 6]);
const FEDERATED_PROTOCOL_NAME = /saml|openid|oidc|oauth/i;
// 3 Digest, 7 PAP, 8 CHAP, 11 Basic: a password by construction
const PASSWORD_PROTOCOLS = new Set([3, 7, 8, 11]);

/**
 * How the user authenticated (trap 3 applies here as for CloudTrail): `is_mfa` true is MFA;
 * false on a failed logon says nothing, and on a SAML/OpenID/OAuth logon the MFA is the
 * identity provider's (`delegated`); absent, several factor types in `auth_factors` are MFA.
 */
function ocsfAuthentication(record: JsonObject, classUid: number, outcome: Outcome): Authentication | null {
  const session = objectField(objectField(record, 'actor'), 'session') ?? objectField(record, 'session');
  if (classUid !== AUTHENTICATION_CLASS) return isTrueish(session?.is_mfa) ? { factors: [], mfa: true } : null;

  const factors: AuthenticationFactor[] = [];
  const add = (factor: AuthenticationFactor | undefined) => {
    if (factor && !factors.some((f) => f.method === factor.method)) factors.push({ ...factor });
  };
  for (const item of arrayField(record, 'auth_factors')) {
    if (!isJsonObject(item)) continue;
    const id = integerField(item, 'factor_type_id');
    const name = stringField(item, 'factor_type')?.toLowerCase().replace(/[^a-z0-9]/g, '');
    add(FACTOR_BY_ID[id ?? -1] ?? (name ? FACTOR_BY_ID[FACTOR_BY_NAME[name] ?? -1] : undefined));
  }
  const protocolId = integerField(record, 'auth_protocol_id');
  const protocol = stringField(record, 'auth_protocol');
  if (protocolId !== null && PASSWORD_PROTOCOLS.has(protocolId)) add(FACTOR_BY_ID[11]);
  const federated = (protocolId !== null && FEDERATED_PROTOCOLS.has(protocolId)) || (protocol !== null && FEDERATED_PROTOCOL_NAME.test(protocol));

  const flag = record.is_mfa ?? session?.is_mfa;
  let mfa: MfaStatus;
  if (isTrueish(flag)) mfa = true;
  else if (flag === false || (typeof flag === 'string' && flag.toLowerCase() === 'false')) {
    if (outcome === 'failure') mfa = 'unknown';
    else if (federated) mfa = 'delegated';
    else mfa = false;
  } else if (new Set(factors.map((f) => f.type)).size >= 2) mfa = true;
  else mfa = 'unknown';
  return { factors, mfa };
}

/** The user, group, role, entity, service or resource the activity was about. */
function ocsfTarget(record: JsonObject, classUid: number, product: string): Target | null {
  switch (classUid) {
    case 3001:
    case 3003:
    case 3005:
    case 3007:
      return userTarget(objectField(record, 'user'), product) ?? firstResource(record);
    case AUTHENTICATION_CLASS:
      return named('ocsf:service', objectField(record, 'service')) ?? endpointTarget(objectField(record, 'dst_endpoint'));
    case 3004:
      return named('ocsf:entity', objectField(record, 'entity') ?? objectField(record, 'managed_entity'));
    case 3006:
      return named('ocsf:group', objectField(record, 'group')) ?? userTarget(objectField(record, 'user'), product);
    case 3008:
      return named('ocsf:role', objectField(record, 'iam_role') ?? objectField(record, 'role'));
    default:
      return firstResource(record);
  }
}

function named(defaultType: string, object: JsonObject | null): Target | null {
  const id = textField(object, 'uid') ?? stringField(object, 'name');
  if (id === null) return null;
  return { type: nfc(stringField(object, 'type') ?? defaultType), id: nfc(id), name: nfcOrNull(stringField(object, 'name')) };
}

function endpointTarget(endpoint: JsonObject | null): Target | null {
  const id = stringField(endpoint, 'hostname') ?? stringField(endpoint, 'name') ?? stringField(endpoint, 'ip') ?? textField(endpoint, 'uid');
  return id === null ? null : { type: 'ocsf:endpoint', id: nfc(id), name: nfcOrNull(stringField(endpoint, 'hostname')) };
}

/** `resources` (1.1+), or the deprecated single `resource`. */
function firstResource(record: JsonObject): Target | null {
  for (const resource of [...arrayField(record, 'resources'), record.resource]) {
    if (!isJsonObject(resource)) continue;
    const target = named('ocsf:resource', resource);
    if (target !== null) return target;
  }
  return null;
}
