import { createHash } from 'node:crypto';
import { storableText, type NormalizedEvent } from '#domain';

/**
 * The length limits of the canonical event v1 schema (ledger-event.v1.schema.json). A source
 * may put anything into a name or a user agent (trap 10: oversized records); the event keeps
 * within the schema and `raw` keeps the full text, so nothing is lost.
 */
export const EVENT_LIMITS = {
  id: 1024,
  type: 200,
  action: 512,
  subject: 1024,
  principal: 2048,
  text: 2048,
  targetType: 256,
  reason: 4096,
  userAgent: 8192,
  system: 256,
  factors: 16,
  factorMethod: 64,
} as const;

const ELLIPSIS = '…';

/** Descriptive text cut to at most `max` UTF-16 units, the cut marked with an ellipsis. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${sliceWhole(text, max - 1)}${ELLIPSIS}`;
}

/**
 * An identifier cut to at most `max` units while staying unique and stable: a readable prefix
 * and a hash of the whole value, so that two long ids sharing a prefix never merge.
 */
export function clipId(text: string, max: number): string {
  if (text.length <= max) return text;
  const digest = `~${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)}`;
  return `${sliceWhole(text, max - digest.length - 1)}${ELLIPSIS}${digest}`;
}

/** Never splits a surrogate pair (which would leave text that is not well-formed UTF-16). */
function sliceWhole(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

const text = (value: string, max: number): string => clipText(storableText(value), max);
const id = (value: string, max: number): string => clipId(storableText(value), max);
const nullableText = (value: string | null | undefined, max: number): string | null | undefined => (typeof value === 'string' ? text(value, max) : value);
const nullableId = (value: string | null | undefined, max: number): string | null | undefined => (typeof value === 'string' ? id(value, max) : value);

/**
 * Brings an event within the schema's limits and makes every field storable (trap 10, and
 * hostile input): a source may put anything into a name, including a NUL character or half
 * of a surrogate pair. `raw` is left as received. Applied to every accepted event, whatever
 * its normalizer; a clean event of ordinary size costs a few length and pattern checks.
 */
export function fitEventToLimits(event: NormalizedEvent): NormalizedEvent {
  const L = EVENT_LIMITS;
  event.id = id(event.id, L.id);
  // a dotted type keeps its pattern: cut, then drop a dangling separator
  if (event.type.length > L.type) event.type = event.type.slice(0, L.type).replace(/[._]+$/, '');
  event.action = text(event.action, L.action);
  const actor = event.actor;
  actor.subject = id(actor.subject, L.subject);
  actor.principal = id(actor.principal, L.principal);
  actor.via = nullableId(actor.via, L.text) ?? null;
  actor.credential_id = nullableId(actor.credential_id, L.text);
  actor.session_name = nullableText(actor.session_name, L.text);
  const target = event.target;
  if (target !== null) {
    target.type = text(target.type, L.targetType);
    target.id = id(target.id, L.text);
    target.name = nullableText(target.name, L.text);
  }
  const authentication = event.authentication;
  if (authentication !== null) {
    if (authentication.factors.length > L.factors) authentication.factors = authentication.factors.slice(0, L.factors);
    for (const factor of authentication.factors) factor.method = text(factor.method, L.factorMethod);
  }
  event.outcome_reason = nullableText(event.outcome_reason, L.reason) ?? null;
  const source = event.source;
  source.service = nullableText(source.service, L.text) ?? null;
  source.host = nullableText(source.host, L.text) ?? null;
  source.user_agent = nullableText(source.user_agent, L.userAgent) ?? null;
  const origin = event.origin;
  origin.system = text(origin.system, L.system);
  origin.account = nullableText(origin.account, L.text) ?? null;
  origin.region = nullableText(origin.region, L.text) ?? null;
  return event;
}
