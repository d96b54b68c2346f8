import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidArgumentError, type LedgerEvent } from '#domain';

/**
 * The identity map: which subject ids across systems (an IAM user, an Okta login, a Linux
 * user on a host, an e-mail used as SSO session name) belong to one person. Configured as a
 * JSON file and recorded in the ledger as `identity.alias.linked` events, so that who was
 * linked to whom, and when, is itself auditable.
 */
const identityMapSchema = z.object({
  people: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().optional(),
      aliases: z.array(z.string().min(1)).min(1),
    }),
  ),
});

export type IdentityMapFile = z.infer<typeof identityMapSchema>;

export const ALIAS_LINKED_TYPE = 'identity.alias.linked';
export const ALIAS_UNLINKED_TYPE = 'identity.alias.unlinked';

export function parseIdentityMap(text: string, source = 'identity map'): IdentityMapFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError('identity_map', `${source} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = identityMapSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidArgumentError('identity_map', `${source}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const owner = new Map<string, string>();
  for (const person of parsed.data.people) {
    for (const alias of person.aliases) {
      const key = alias.normalize('NFC');
      const previous = owner.get(key);
      if (previous && previous !== person.id) {
        throw new InvalidArgumentError('identity_map', `${source}: alias ${alias} is listed for both ${previous} and ${person.id}`);
      }
      owner.set(key, person.id);
    }
  }
  return parsed.data;
}

/**
 * One `identity.alias.linked` event per alias. Ids are derived from (person, alias), so
 * loading the same map again adds nothing; `time` is when the map was loaded.
 */
export function aliasEventsOf(map: IdentityMapFile, loadedAt: string, loadedBy: string): Array<Omit<LedgerEvent, 'received_at'>> {
  const events: Array<Omit<LedgerEvent, 'received_at'>> = [];
  for (const person of map.people) {
    for (const rawAlias of [person.id, ...person.aliases]) {
      const alias = rawAlias.normalize('NFC');
      const id = `identity-map:${createHash('sha256').update(`${person.id}\u0000${alias}`).digest('hex').slice(0, 32)}`;
      const record = { alias, person: person.id, person_name: person.name ?? null, source: 'identity map configuration' };
      events.push({
        schema_version: 'v1',
        id,
        category: 'identity',
        type: ALIAS_LINKED_TYPE,
        time: loadedAt,
        actor: { subject: loadedBy, principal: loadedBy, kind: 'service', via: null, attribution: 'direct' },
        authentication: null,
        action: 'ledger:LinkAlias',
        target: { type: 'identity_alias', id: alias, name: person.id },
        outcome: 'success',
        outcome_reason: null,
        source: { ip: null, service: 'ledger', user_agent: null, host: null, geo: null },
        origin: { system: 'ledger', account: null, region: null, kafka: null },
        raw: JSON.stringify(record),
      });
    }
  }
  return events;
}

/** An alias link or unlink carried by an event: `target.id` is the alias, `target.name` the person. */
export function aliasChangeOf(event: LedgerEvent): { alias: string; person: string; linked: boolean } | null {
  if (event.type !== ALIAS_LINKED_TYPE && event.type !== ALIAS_UNLINKED_TYPE) return null;
  if (event.outcome === 'failure' || !event.target?.id || !event.target.name) return null;
  return { alias: event.target.id.normalize('NFC'), person: event.target.name.normalize('NFC'), linked: event.type === ALIAS_LINKED_TYPE };
}
