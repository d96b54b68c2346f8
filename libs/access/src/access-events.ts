import { isIP } from 'node:net';
import type { Scope } from './scopes.js';
import { storableText } from '#domain';

/**
 * The ledger's own events about access to itself, as canonical v1 events (DESIGN 4) with
 * `origin.system: ledger`. They enter through the ordinary ingestion use case, so they are
 * validated, hashed into the Merkle log and queried like any other event.
 */
export const LEDGER_SYSTEM = 'ledger';
export const SELF_AUDIT_READ_TYPE = 'activity.ledger_read';
export const SELF_AUDIT_WRITE_TYPE = 'activity.ledger_write';
export const API_KEY_CREATED_TYPE = 'identity.api_key.created';
export const API_KEY_REVOKED_TYPE = 'identity.api_key.revoked';

/** One API call, as the self-audit records it (PCI DSS 10.2.1.3 / 10.2.2). */
export interface SelfAuditRecord {
  /** Unique per call. */
  id: string;
  /** When the call arrived (ISO-8601). */
  time: string;
  kind: 'read' | 'write';
  caller: {
    subject: string;
    principal: string;
    /** Key id when a valid key named the caller; null for anonymous and unknown callers. */
    keyId: string | null;
    /** A key owner (a person) rather than `unknown` / `anonymous`. */
    accountable: boolean;
  };
  /** `ledger:SearchEvents`, `ledger:GetEvent`, ... */
  action: string;
  target: { type: string; id: string; name?: string | null };
  outcome: 'success' | 'failure' | 'unknown';
  reason: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  request: { method: string; path: string; status: number | null; requestId: string };
}

export interface ApiKeyChange {
  change: 'created' | 'revoked';
  keyId: string;
  owner: string;
  scopes: Scope[];
  /** Who ran the command: the accountable subject of the event. */
  actor: string;
  time: string;
  host: string | null;
}

export function selfAuditEvent(record: SelfAuditRecord): Record<string, unknown> {
  const { caller } = record;
  return {
    schema_version: 'v1',
    id: `ledger-audit-${record.id}`,
    category: 'activity',
    type: record.kind === 'read' ? SELF_AUDIT_READ_TYPE : SELF_AUDIT_WRITE_TYPE,
    time: record.time,
    actor: {
      subject: clean(caller.subject, 1024),
      principal: clean(caller.principal, 2048),
      kind: caller.accountable ? 'human' : 'unknown',
      via: null,
      attribution: caller.accountable ? 'direct' : 'unresolved',
      credential_id: caller.keyId ? `lgr_${caller.keyId}` : null,
    },
    // An API key is one possession factor; there is no second one.
    authentication: caller.keyId ? { factors: [{ type: 'possession', method: 'api_key' }], mfa: false } : null,
    action: clean(record.action, 512),
    target: {
      type: clean(record.target.type, 256),
      id: clean(record.target.id, 2048),
      name: record.target.name == null ? null : clean(record.target.name, 2048),
    },
    outcome: record.outcome,
    outcome_reason: record.reason === null ? null : clean(record.reason, 4096),
    source: {
      ip: record.sourceIp && isIP(record.sourceIp) ? record.sourceIp : null,
      service: null,
      user_agent: record.userAgent === null ? null : clean(record.userAgent, 8192),
      host: null,
      geo: null,
    },
    origin: { system: LEDGER_SYSTEM, account: null, region: null },
    // The request itself, for forensics: the full path with its query string, as received.
    raw: JSON.stringify({
      request_id: record.request.requestId,
      method: record.request.method,
      path: clean(record.request.path, 16_384),
      status: record.request.status,
      key: caller.keyId ? `lgr_${caller.keyId}` : null,
    }),
  };
}

export function apiKeyChangeEvent(change: ApiKeyChange): Record<string, unknown> {
  const created = change.change === 'created';
  return {
    schema_version: 'v1',
    // One event per key and change: recording the same change again is a duplicate, not a second event.
    id: `ledger-api-key-${change.change}-${change.keyId}`,
    category: 'identity',
    type: created ? API_KEY_CREATED_TYPE : API_KEY_REVOKED_TYPE,
    time: change.time,
    actor: { subject: change.actor, principal: change.actor, kind: 'human', via: null, attribution: 'direct' },
    authentication: null,
    action: created ? 'ledger:CreateApiKey' : 'ledger:RevokeApiKey',
    target: { type: 'api_key', id: `lgr_${change.keyId}`, name: change.owner },
    outcome: 'success',
    outcome_reason: null,
    source: { ip: null, service: null, user_agent: null, host: change.host, geo: null },
    origin: { system: LEDGER_SYSTEM, account: null, region: null },
    raw: JSON.stringify({
      change: change.change,
      key_id: change.keyId,
      owner: change.owner,
      scopes: change.scopes,
      by: change.actor,
      at: change.time,
    }),
  };
}

/**
 * Request values are whatever a caller sent. A self-audit record must still be storable:
 * Postgres text cannot hold U+0000, canonical JSON refuses lone surrogates, and the schema
 * bounds lengths. Such characters become U+FFFD and long values are cut (marked with …).
 */
export function clean(value: string, maxLength: number): string {
  let text = storableText(value);
  if (text.length === 0) text = '-';
  if (text.length > maxLength) text = `${text.slice(0, maxLength - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
  return text;
}
