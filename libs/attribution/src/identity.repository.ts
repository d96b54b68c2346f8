import type { Pool } from '#event-store';
import * as sql from './attribution.sql.js';

export interface PersonAliases {
  /** The person the subject belongs to, or null when the identity map does not know it. */
  person: string | null;
  /** Every subject id of that person (at least the subject itself). */
  aliases: string[];
}

/** Reads the identity map projection: any alias → the person and all of their aliases. */
export class IdentityRepository {
  constructor(private readonly pool: Pool) {}

  async aliasesOf(subject: string): Promise<PersonAliases> {
    const normalized = subject.normalize('NFC');
    const { rows } = await this.pool.query<{ alias: string; person: string }>(sql.ALIASES_OF, [normalized]);
    if (rows.length === 0) return { person: null, aliases: [normalized] };
    const aliases = new Set([normalized, ...rows.map((row) => row.alias)]);
    return { person: rows[0]!.person, aliases: [...aliases] };
  }
}
