import {
  LEDGER_EVENT_SCHEMA_VERSION,
  type Actor,
  type Authentication,
  type NormalizedEvent,
  type Source,
  type Target,
  type TimeSource,
} from '#domain';
import { parseEventTime } from '../event-time.js';
import { describeType, isJsonObject, type JsonObject } from '../json-value.js';
import { canonicalIp } from '../source-address.js';
import { rejectedOutcome, type NormalizeContext, type RecordOutcome } from '../source-normalizer.js';
import { nfc, nfcOrNull } from '../unicode.js';
import { ledgerEventSchemaViolation } from './ledger-event-schema.js';

/** Values a CloudEvents envelope supplies when the event itself leaves them out. */
export interface CanonicalDefaults {
  id: string | null;
  time: string | null;
  system: string | null;
}

const NO_DEFAULTS: CanonicalDefaults = { id: null, time: null, system: null };
export const UNSPECIFIED_SYSTEM = 'unspecified';

/**
 * A canonical event as a producer sent it, validated against the v1 schema and completed with
 * defaults. Missing id and time get their own reasons because they are the most common
 * producer mistakes and the ones a DLQ reader must see at a glance.
 */
export function normalizeCanonicalEvent(
  data: unknown,
  raw: string,
  context: NormalizeContext,
  defaults: CanonicalDefaults = NO_DEFAULTS,
): RecordOutcome {
  if (!isJsonObject(data)) return rejectedOutcome('invalid_record', `a canonical event must be a JSON object, got ${describeType(data)}`);
  let event: JsonObject = data;
  if (isAbsent(data.id)) {
    if (defaults.id === null) return rejectedOutcome('missing_event_id', 'id is missing');
    event = { ...event, id: defaults.id };
  }
  if (isAbsent(data.time)) {
    if (defaults.time === null) return rejectedOutcome('missing_event_time', 'time is missing');
    event = { ...event, time: defaults.time };
  }
  const violation = ledgerEventSchemaViolation(event);
  if (violation !== null) return rejectedOutcome('schema_violation', violation);

  // the schema has checked every shape below
  const category = event.category as NormalizedEvent['category'];
  const type = event.type as string;
  // `accountability.*` (witnesses, anomalies, triage: DESIGN 7) is the ledger's review
  // vocabulary and may stand under any category; every other type starts with its category.
  if (!type.startsWith(`${category}.`) && !type.startsWith('accountability.')) {
    return rejectedOutcome('schema_violation', `/type must start with the category "${category}." (or "accountability.")`);
  }
  const time = parseEventTime(event.time, context);
  if (!time.ok) return rejectedOutcome(time.reason, `/time: ${time.message}`);
  const source = buildSource(event.source as JsonObject | undefined);
  if (typeof source === 'string') return rejectedOutcome('schema_violation', source);
  const origin = (event.origin as JsonObject | undefined) ?? {};

  const normalized: NormalizedEvent = {
    schema_version: LEDGER_EVENT_SCHEMA_VERSION,
    id: event.id as string,
    category,
    type,
    time: time.iso,
    // a producer forwarding a ledger event keeps the record of where its time came from
    ...(event.time_source === undefined ? {} : { time_source: event.time_source as TimeSource }),
    actor: buildActor(event.actor as JsonObject),
    authentication: buildAuthentication(event.authentication as Authentication | null | undefined),
    action: event.action as string,
    target: buildTarget(event.target as JsonObject | null | undefined),
    outcome: event.outcome as NormalizedEvent['outcome'],
    outcome_reason: (event.outcome_reason as string | null | undefined) ?? null,
    source,
    origin: {
      system: (origin.system as string | undefined) ?? defaults.system ?? UNSPECIFIED_SYSTEM,
      account: (origin.account as string | null | undefined) ?? null,
      region: (origin.region as string | null | undefined) ?? null,
      // receipt facts are the ledger's to record, never the producer's
      kafka: null,
    },
    raw: typeof event.raw === 'string' ? event.raw : raw,
  };
  return { ok: true, event: normalized };
}

function buildActor(actor: JsonObject): Actor {
  const subject = nfc(actor.subject as string);
  return {
    subject,
    principal: typeof actor.principal === 'string' ? nfc(actor.principal) : subject,
    kind: actor.kind as Actor['kind'],
    via: nfcOrNull(actor.via as string | null | undefined),
    attribution: actor.attribution as Actor['attribution'],
    credential_id: (actor.credential_id as string | null | undefined) ?? null,
    session_name: nfcOrNull(actor.session_name as string | null | undefined),
  };
}

function buildAuthentication(authentication: Authentication | null | undefined): Authentication | null {
  if (authentication === null || authentication === undefined) return null;
  return { factors: authentication.factors.map((f) => ({ type: f.type, method: f.method })), mfa: authentication.mfa };
}

function buildTarget(target: JsonObject | null | undefined): Target | null {
  if (target === null || target === undefined) return null;
  return { type: target.type as string, id: nfc(target.id as string), name: nfcOrNull(target.name as string | null | undefined) };
}

/** The source block with the IP in canonical form, or a schema violation message. */
function buildSource(source: JsonObject | undefined): Source | string {
  const given = source ?? {};
  let ip: string | null = null;
  if (typeof given.ip === 'string') {
    ip = canonicalIp(given.ip);
    if (ip === null) return `/source/ip ${JSON.stringify(given.ip)} is not an IPv4 or IPv6 address`;
  }
  const geo = given.geo as Source['geo'] | undefined;
  return {
    ip,
    service: (given.service as string | null | undefined) ?? null,
    user_agent: (given.user_agent as string | null | undefined) ?? null,
    host: (given.host as string | null | undefined) ?? null,
    geo: geo ? { country: geo.country, asn: geo.asn, ...(geo.as_org !== undefined ? { as_org: geo.as_org } : {}) } : null,
  };
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
