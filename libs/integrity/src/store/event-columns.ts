import { isIP } from 'node:net';
import type { LedgerEvent } from '#domain';
import type { StoredEventColumns } from '#event-store';

/**
 * The queryable columns of an event row are copies of fields of its document (see
 * toEventColumns in event-store.repository.ts, which this mirrors). Searches and timelines
 * filter on the columns, so a column changed behind the document's back would make the API
 * answer for a different history than the signed one: the verifier compares them.
 *
 * Returns the names of the columns that disagree with the document.
 */
export function columnMismatches(columns: StoredEventColumns, event: LedgerEvent): string[] {
  const wrong: string[] = [];
  const check = (name: string, ok: boolean) => {
    if (!ok) wrong.push(name);
  };
  check('time', columns.timeMs === Date.parse(event.time));
  check('received_at', columns.receivedAtMs === Date.parse(event.received_at));
  check('event_id', columns.eventId === event.id);
  check('origin_system', columns.originSystem === event.origin?.system);
  check('category', columns.category === event.category);
  check('type', columns.type === event.type);
  check('actor_subject', columns.actorSubject === event.actor?.subject);
  check('actor_principal', columns.actorPrincipal === event.actor?.principal);
  check('actor_kind', columns.actorKind === event.actor?.kind);
  check('action', columns.action === event.action);
  check('target_id', columns.targetId === (event.target?.id ?? null));
  check('outcome', columns.outcome === event.outcome);
  const ip = event.source?.ip && isIP(event.source.ip) ? event.source.ip : null;
  check('source_ip', sameAddress(columns.sourceIp, ip));
  const kafka = event.origin?.kafka ?? null;
  check('kafka_topic', columns.kafkaTopic === (kafka?.topic ?? null));
  check('kafka_partition', columns.kafkaPartition === (kafka?.partition ?? null));
  check('kafka_offset', columns.kafkaOffset === (kafka?.offset ?? null));
  return wrong;
}

/** Postgres prints IPv6 in its own compressed form: compare the full 8-group forms. */
function sameAddress(stored: string | null, expected: string | null): boolean {
  if (stored === null || expected === null) return stored === expected;
  if (stored === expected) return true;
  return isIP(stored) === 6 && isIP(expected) === 6 && expandIpv6(stored) === expandIpv6(expected);
}

function expandIpv6(address: string): string {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => g.padStart(4, '0')).join(':');
}
