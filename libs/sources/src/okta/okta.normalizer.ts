import {
  LEDGER_EVENT_SCHEMA_VERSION,
  type Actor,
  type ActorKind,
  type Authentication,
  type AuthenticationFactor,
  type MfaStatus,
  type NormalizedEvent,
  type Outcome,
  type Target,
} from '#domain';
import { contentDerivedId } from '../derived-id.js';
import { eventTimeOrTransport, parseEventTime } from '../event-time.js';
import { memberArrayElementSpans, memberValueSpan, skipWhitespace, type JsonSpan } from '../json-spans.js';
import { describeType, isJsonObject, memberAnyCase, objectAnyCase, stringAnyCase, type JsonObject } from '../json-value.js';
import { classifySourceAddress } from '../source-address.js';
import { emit, rejectedOutcome, type NormalizeContext, type RecordOutcome, type RecordSink, type SourceNormalizer } from '../source-normalizer.js';
import { nfc, nfcOrNull } from '../unicode.js';
import { classifyOktaEventType } from './okta-event-types.js';

export const OKTA_SYSTEM = 'okta';

/**
 * Okta System Log events: one event per record (the System Log API and its exporters, SIEM
 * forwarders that may lower-case every key), or an event hook delivery whose `data.events`
 * holds several. Subjects are `okta:<actor.alternateId>` (DESIGN 4).
 */
export const oktaNormalizer: SourceNormalizer = {
  format: 'okta',

  detects(value: unknown): boolean {
    if (!isJsonObject(value)) return false;
    if (isEventHook(value)) return true;
    if (stringAnyCase(value, 'eventType') === null) return false;
    return isJsonObject(memberAnyCase(value, 'actor')) || typeof memberAnyCase(value, 'uuid') === 'string' || typeof memberAnyCase(value, 'published') === 'string';
  },

  normalize(value: unknown, raw: string, context: NormalizeContext, sink: RecordSink): void {
    if (isJsonObject(value) && isEventHook(value)) {
      eventHook(value, raw, context, sink);
      return;
    }
    emit(normalizeOktaEvent(value, raw, context), raw, sink);
  },
};

/** `{"eventType": "com.okta.event_hook", "data": {"events": [...]}}`: each event on its own, raw its exact slice. */
function eventHook(envelope: JsonObject, raw: string, context: NormalizeContext, sink: RecordSink): void {
  const events = (envelope.data as JsonObject).events as unknown[];
  if (events.length === 0) {
    sink.reject('empty_message', 'the event hook delivery has no events', raw);
    return;
  }
  const spans = nestedEventSpans(raw);
  for (let i = 0; i < events.length; i++) {
    const eventRaw = spans !== null && spans.length === events.length ? raw.slice(spans[i]!.start, spans[i]!.end) : JSON.stringify(events[i]);
    const eventSink = sink.at(`data.events[${i}]`);
    try {
      emit(normalizeOktaEvent(events[i], eventRaw, context), eventRaw, eventSink);
    } catch (error) {
      eventSink.reject('internal_error', `normalization failed unexpectedly: ${(error as Error)?.message ?? String(error)}`, eventRaw);
    }
  }
}

function isEventHook(value: JsonObject): boolean {
  const data = value.data;
  return isJsonObject(data) && Array.isArray(data.events) && (value.eventType === 'com.okta.event_hook' || typeof value.cloudEventsVersion === 'string');
}

/** Spans of `data.events[*]` inside the envelope text (the raw of each event). */
function nestedEventSpans(raw: string): JsonSpan[] | null {
  const start = skipWhitespace(raw, 0);
  const data = memberValueSpan(raw, start, 'data');
  return data === null ? null : memberArrayElementSpans(raw, data.start, 'events');
}

/** One System Log event to one ledger event; `raw` is its exact source text. */
export function normalizeOktaEvent(record: unknown, raw: string, context: NormalizeContext): RecordOutcome {
  if (!isJsonObject(record)) return rejectedOutcome('invalid_record', `an Okta event must be a JSON object, got ${describeType(record)}`);
  const eventType = stringAnyCase(record, 'eventType')?.trim() || null;
  if (eventType === null) return rejectedOutcome('invalid_record', 'eventType is missing or not a string');
  const time = eventTimeOrTransport(memberAnyCase(record, 'published'), context.transportTime, (value) => parseEventTime(value, context));
  if (!time.ok) return rejectedOutcome(time.reason, `published: ${time.message}`);
  const uuid = memberAnyCase(record, 'uuid');
  let id: string;
  if (typeof uuid === 'string' && uuid.trim() !== '') id = uuid;
  else if (uuid === undefined || uuid === null) id = contentDerivedId(record, raw);
  else return rejectedOutcome('missing_event_id', 'uuid must be a non-empty string');

  const { category, type } = classifyOktaEventType(eventType);
  const [outcome, outcomeReason] = oktaOutcome(objectAnyCase(record, 'outcome'));
  const client = objectAnyCase(record, 'client');
  const address = classifySourceAddress(stringAnyCase(client, 'ipAddress') ?? firstChainIp(objectAnyCase(record, 'request')));
  const userAgent = stringAnyCase(objectAnyCase(client, 'userAgent'), 'rawUserAgent');

  const event: NormalizedEvent = {
    schema_version: LEDGER_EVENT_SCHEMA_VERSION,
    id,
    category,
    type,
    time: time.iso,
    ...(time.timeSource === undefined ? {} : { time_source: time.timeSource }),
    actor: oktaActor(objectAnyCase(record, 'actor'), objectAnyCase(record, 'authenticationContext')),
    authentication: category === 'authentication' ? oktaAuthentication(record, outcome) : null,
    action: eventType,
    target: oktaTarget(record, eventType),
    outcome,
    outcome_reason: outcomeReason,
    source: {
      ip: address.ip,
      service: address.service,
      user_agent: userAgent !== null && userAgent.toUpperCase() !== 'UNKNOWN' ? userAgent : null,
      host: address.host,
      // Okta names countries in English ("United States"), not ISO codes: geo is the ledger's own enrichment
      geo: null,
    },
    origin: { system: OKTA_SYSTEM, account: null, region: null, kafka: null },
    raw,
  };
  return { ok: true, event };
}

function firstChainIp(request: JsonObject | null): string | null {
  const chain = request?.ipChain;
  if (!Array.isArray(chain)) return null;
  return isJsonObject(chain[0]) ? stringAnyCase(chain[0], 'ip') : null;
}

const SERVICE_ACTOR_TYPES = new Set(['systemprincipal', 'publicclientapp', 'appinstance', 'client', 'oauth2client', 'apitoken', 'app']);
// Okta writes "unknown" where it has no value
const isUnknown = (value: string | null): boolean => value === null || value.trim() === '' || value.trim().toLowerCase() === 'unknown';

/**
 * Users are `okta:<alternateId>` (their login), kind human; the system and applications are
 * services under the same convention. A failed sign-in names the login that was typed, which
 * is still the subject: the person who tried.
 */
function oktaActor(actor: JsonObject | null, authenticationContext: JsonObject | null): Actor {
  const type = (stringAnyCase(actor, 'type') ?? '').toLowerCase();
  const alternateId = stringAnyCase(actor, 'alternateId');
  const actorId = stringAnyCase(actor, 'id');
  const login = !isUnknown(alternateId) ? alternateId!.trim() : !isUnknown(actorId) ? actorId!.trim() : null;
  const sessionId = stringAnyCase(authenticationContext, 'externalSessionId');
  const credentialId = isUnknown(sessionId) ? null : sessionId;
  if (login === null) {
    return { subject: 'okta:unidentified', principal: 'okta:unidentified', kind: 'unknown', via: null, attribution: 'unresolved', credential_id: credentialId, session_name: null };
  }
  let kind: ActorKind = 'unknown';
  if (type === 'user') kind = 'human';
  else if (SERVICE_ACTOR_TYPES.has(type)) kind = 'service';
  return {
    subject: `okta:${nfc(login)}`,
    principal: nfc(!isUnknown(actorId) ? actorId! : login),
    kind,
    via: null,
    attribution: kind === 'unknown' ? 'unresolved' : 'direct',
    credential_id: credentialId,
    session_name: null,
  };
}

/** SUCCESS / ALLOW → success, FAILURE / DENY → failure; SKIPPED, CHALLENGE, UNKNOWN, absent → unknown. */
function oktaOutcome(outcome: JsonObject | null): [Outcome, string | null] {
  const result = stringAnyCase(outcome, 'result')?.trim().toUpperCase() ?? '';
  const reason = stringAnyCase(outcome, 'reason');
  if (result === 'SUCCESS' || result === 'ALLOW') return ['success', null];
  if (result === 'FAILURE' || result === 'DENY') return ['failure', reason ?? result];
  // a challenge or a skipped step is neither: keep what Okta said
  return ['unknown', result === '' ? reason : reason ? `${result}: ${reason}` : result];
}

/** Okta factor names (debugData.factor, authenticationContext.credentialType) → factor. */
const FACTORS: ReadonlyArray<readonly [RegExp, AuthenticationFactor]> = [
  [/^(?:password|okta_password)$/, { type: 'knowledge', method: 'password' }],
  [/question/, { type: 'knowledge', method: 'security_question' }],
  [/push/, { type: 'possession', method: 'push' }],
  [/signed_nonce|fastpass/, { type: 'possession', method: 'device_bound_key' }],
  [/webauthn|fido|u2f/, { type: 'possession', method: 'webauthn' }],
  [/sms/, { type: 'possession', method: 'sms' }],
  [/call|voice/, { type: 'possession', method: 'voice' }],
  [/email/, { type: 'possession', method: 'email' }],
  [/hardware|yubikey|rsa|symantec|duo/, { type: 'possession', method: 'hardware_token' }],
  [/otp|totp|okta_verify|google|token/, { type: 'possession', method: 'totp' }],
];
const FEDERATED_PROVIDERS = new Set(['FEDERATION', 'SOCIAL']);

/**
 * The factors Okta reports on a sign-in event (`authenticationContext.credentialType`,
 * `debugContext.debugData.factor`). A password alone is no MFA; a password and a possession
 * factor, or a possession factor on an MFA step, is; a federated sign-in delegates MFA to the
 * identity provider; a failed sign-in, or one that names no factor, says nothing (trap 3).
 */
function oktaAuthentication(record: JsonObject, outcome: Outcome): Authentication {
  const context = objectAnyCase(record, 'authenticationContext');
  const debugData = objectAnyCase(objectAnyCase(record, 'debugContext'), 'debugData');
  const factors: AuthenticationFactor[] = [];
  for (const name of [stringAnyCase(context, 'credentialType'), stringAnyCase(debugData, 'factor')]) {
    const factor = name === null ? undefined : FACTORS.find(([pattern]) => pattern.test(name.toLowerCase()))?.[1];
    if (factor !== undefined && !factors.some((f) => f.method === factor.method)) factors.push({ ...factor });
  }
  const provider = stringAnyCase(context, 'authenticationProvider')?.toUpperCase() ?? '';
  const federated = FEDERATED_PROVIDERS.has(provider) || stringAnyCase(context, 'credentialType')?.toUpperCase() === 'ASSERTION';
  const eventType = (stringAnyCase(record, 'eventType') ?? '').toLowerCase();
  let mfa: MfaStatus;
  if (outcome === 'failure') mfa = 'unknown';
  else if (factors.some((f) => f.type !== 'knowledge') && (factors.length >= 2 || eventType.includes('mfa'))) mfa = true;
  else if (federated) mfa = 'delegated';
  else if (factors.length === 1 && factors[0]!.method === 'password') mfa = false;
  else mfa = 'unknown';
  return { factors, mfa };
}

/** Which target type an event is about, by its family; the first target otherwise. */
const PREFERRED_TARGET: ReadonlyArray<readonly [prefix: string, type: string]> = [
  ['group.privilege.', 'UserGroup'],
  ['group.', 'UserGroup'],
  ['user.', 'User'],
  ['application.', 'AppInstance'],
  ['policy.rule.', 'PolicyRule'],
  ['policy.', 'PolicyEntity'],
];

/** Users are named like subjects (`okta:<alternateId>`) so that "who changed alice" joins "what alice did". */
function oktaTarget(record: JsonObject, eventType: string): Target | null {
  const targets = memberAnyCase(record, 'target');
  if (!Array.isArray(targets)) return null;
  const candidates = targets.filter(isJsonObject);
  if (candidates.length === 0) return null;
  const key = eventType.toLowerCase();
  const preferred = PREFERRED_TARGET.find(([prefix]) => key.startsWith(prefix))?.[1];
  const chosen = (preferred && candidates.find((t) => stringAnyCase(t, 'type') === preferred)) || candidates[0]!;
  const type = stringAnyCase(chosen, 'type') ?? 'Unknown';
  const alternateId = stringAnyCase(chosen, 'alternateId');
  const id = stringAnyCase(chosen, 'id');
  const display = stringAnyCase(chosen, 'displayName');
  let targetId: string | null;
  if (type === 'User' && !isUnknown(alternateId)) targetId = `okta:${alternateId!.trim()}`;
  else targetId = !isUnknown(id) ? id : !isUnknown(alternateId) ? alternateId : display;
  if (targetId === null) return null;
  return { type: `okta:${nfc(type)}`, id: nfc(targetId), name: nfcOrNull(display ?? alternateId) };
}
