import type { LedgerEvent } from '#domain';
import { prepareEvent, type AppendParticipant, type PlacedEvent, type PoolClient, type PreparedEvent } from '#event-store';
import { attributeThroughChain } from './chain-resolution.js';
import { aliasChangeOf } from './identity-map.js';
import { issuedCredentialOf, needsChainAttribution, type IssuedCredential } from './issued-credential.js';
import * as sql from './attribution.sql.js';

export const ATTRIBUTION_RESOLVED_TYPE = 'identity.attribution.resolved';

/**
 * Attribution that needs more than one record (DESIGN 5.1), kept exact by running inside the
 * append transaction (see AppendParticipant):
 * - before the append, events signed with a temporary key whose issuing STS call is known are
 *   attributed to whoever obtained the key (`credential_chain`); a session-name claim that a
 *   configured alias confirms becomes `identity_map`;
 * - after the append, credentials issued by the new events are recorded, and events stored
 *   earlier with one of those keys (they arrived before their AssumeRole) are re-attributed:
 *   a projection row plus an `identity.attribution.resolved` event in the ledger, never an UPDATE;
 * - alias link/unlink events maintain the identity map projection.
 */
export class AttributionParticipant implements AppendParticipant {
  async beforeAppend(client: PoolClient, events: PreparedEvent[]): Promise<PreparedEvent[]> {
    const wanted = events.filter((p) => needsChainAttribution(p.event));
    if (wanted.length === 0) return events;
    const credentials = await this.knownCredentials(client, wanted.map((p) => p.event.actor.credential_id!));
    // Keys issued earlier in this very batch count too.
    for (const prepared of events) {
      const issued = issuedCredentialOf(prepared.event);
      if (issued && !credentials.has(issued.credentialId)) credentials.set(issued.credentialId, issued);
    }
    const claims = wanted.filter((p) => p.event.actor.attribution === 'session_name_claim').map((p) => p.event.actor.session_name ?? p.event.actor.subject);
    const aliases = claims.length ? await this.knownAliases(client, claims) : new Map<string, string>();
    return events.map((prepared) => {
      if (!needsChainAttribution(prepared.event)) return prepared;
      const credential = credentials.get(prepared.event.actor.credential_id!);
      if (credential && credential.attribution !== 'unresolved') {
        return reprepare(prepared, attributeThroughChain(prepared.event, credential));
      }
      const claim = prepared.event.actor.session_name ?? prepared.event.actor.subject;
      if (prepared.event.actor.attribution === 'session_name_claim' && aliases.has(claim.normalize('NFC'))) {
        return reprepare(prepared, { ...prepared.event, actor: { ...prepared.event.actor, attribution: 'identity_map' } });
      }
      return prepared;
    });
  }

  async afterAppend(client: PoolClient, placed: PlacedEvent[]): Promise<PreparedEvent[]> {
    const issued: Array<{ credential: IssuedCredential; position: number; receivedAt: string }> = [];
    const unresolved: Array<{ credentialId: string; position: number }> = [];
    for (const { prepared, position } of placed) {
      const event = prepared.event;
      const credential = issuedCredentialOf(event);
      if (credential) issued.push({ credential, position, receivedAt: event.received_at });
      if (needsChainAttribution(event)) unresolved.push({ credentialId: event.actor.credential_id!, position });
      const change = aliasChangeOf(event);
      if (change) {
        if (change.linked) await client.query(sql.LINK_ALIAS, [change.alias, change.person, position]);
        else await client.query(sql.UNLINK_ALIAS, [change.alias, change.person]);
      }
    }
    if (issued.length) {
      await client.query(sql.INSERT_CREDENTIALS, [
        issued.map((i) => i.credential.credentialId),
        issued.map((i) => i.credential.subject),
        issued.map((i) => i.credential.attribution),
        issued.map((i) => i.credential.kind),
        issued.map((i) => i.credential.via),
        issued.map((i) => i.credential.sessionName),
        issued.map((i) => i.position),
        issued.map((i) => i.credential.issuedAt),
        issued.map((i) => i.credential.expiresAt),
      ]);
    }
    if (unresolved.length) {
      await client.query(sql.INSERT_UNRESOLVED, [unresolved.map((u) => u.credentialId), unresolved.map((u) => u.position)]);
    }
    const resolvable = issued.filter((i) => i.credential.attribution !== 'unresolved');
    return resolvable.length ? this.resolveEarlierEvents(client, resolvable) : [];
  }

  /** Events stored before the call that issued their key: re-attributed now, and the ledger says so. */
  private async resolveEarlierEvents(
    client: PoolClient,
    issued: Array<{ credential: IssuedCredential; position: number; receivedAt: string }>,
  ): Promise<PreparedEvent[]> {
    const byId = new Map(issued.map((i) => [i.credential.credentialId, i]));
    const { rows } = await client.query<{ credential_id: string; position: number }>(sql.TAKE_UNRESOLVED, [[...byId.keys()]]);
    // The issuing event itself may be in the table (a session assuming another role with its own key).
    const earlier = rows.filter((row) => row.position !== byId.get(row.credential_id)!.position);
    if (earlier.length === 0) return [];
    const documents = await client.query<{ position: number; document: string }>(sql.EVENTS_AT, [earlier.map((r) => r.position)]);
    const eventAt = new Map(documents.rows.map((row) => [row.position, JSON.parse(row.document) as LedgerEvent]));
    const records: PreparedEvent[] = [];
    for (const row of earlier) {
      const original = eventAt.get(row.position);
      const issuer = byId.get(row.credential_id)!;
      if (!original) continue;
      const resolved = attributeThroughChain(original, issuer.credential);
      await client.query(sql.INSERT_REATTRIBUTION, [
        row.position,
        original.time,
        resolved.actor.subject,
        resolved.actor.attribution,
        resolved.actor.kind,
        resolved.actor.via,
        resolved.actor.claim_contradicted === true,
        issuer.position,
      ]);
      records.push(prepareEvent(attributionRecord(original, resolved, row.position, issuer)));
    }
    return records;
  }

  private async knownCredentials(client: PoolClient, ids: string[]): Promise<Map<string, IssuedCredential>> {
    const { rows } = await client.query(sql.FIND_CREDENTIALS, [[...new Set(ids)]]);
    return new Map(
      rows.map((row) => [
        row.credential_id as string,
        {
          credentialId: row.credential_id,
          subject: row.subject,
          attribution: row.attribution,
          kind: row.kind,
          via: row.via,
          sessionName: row.session_name,
          issuedAt: (row.issued_at as Date).toISOString(),
          expiresAt: row.expires_at ? (row.expires_at as Date).toISOString() : null,
        } satisfies IssuedCredential,
      ]),
    );
  }

  private async knownAliases(client: PoolClient, claims: string[]): Promise<Map<string, string>> {
    const { rows } = await client.query<{ alias: string; person: string }>(sql.FIND_ALIASES, [[...new Set(claims.map((c) => c.normalize('NFC')))]]);
    return new Map(rows.map((row) => [row.alias, row.person]));
  }
}

function reprepare(prepared: PreparedEvent, event: LedgerEvent): PreparedEvent {
  // Same source record, so the same content hash (idempotency) — only the document changes.
  return prepareEvent(event, prepared.contentHash);
}

/**
 * The ledger's own record that an earlier event's accountable subject was resolved: on the
 * resolved subject's timeline, naming the event, its position and how it was decided.
 */
function attributionRecord(
  original: LedgerEvent,
  resolved: LedgerEvent,
  position: number,
  issuer: { position: number; receivedAt: string },
): LedgerEvent {
  const record = {
    event_id: original.id,
    position,
    previous: { subject: original.actor.subject, attribution: original.actor.attribution },
    resolved: {
      subject: resolved.actor.subject,
      attribution: resolved.actor.attribution,
      via: resolved.actor.via,
      claim_contradicted: resolved.actor.claim_contradicted === true,
    },
    resolved_by_position: issuer.position,
  };
  return {
    schema_version: 'v1',
    id: `attribution:${original.origin.system}:${original.id}:${position}`,
    category: 'identity',
    type: ATTRIBUTION_RESOLVED_TYPE,
    time: original.time,
    received_at: issuer.receivedAt,
    actor: { ...resolved.actor },
    authentication: null,
    action: 'ledger:ResolveAttribution',
    target: { type: 'ledger_event', id: original.id, name: String(position) },
    outcome: 'success',
    outcome_reason: null,
    source: { ip: null, service: 'ledger', user_agent: null, host: null, geo: null },
    origin: { system: 'ledger', account: original.origin.account, region: original.origin.region, kafka: null },
    raw: JSON.stringify(record),
  };
}
