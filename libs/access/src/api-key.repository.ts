import type { Pool } from '#event-store';
import type { Scope } from './scopes.js';
import * as sql from './api-key.sql.js';

export interface StoredApiKey {
  id: string;
  owner: string;
  scopes: Scope[];
  hash: Buffer;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
}

interface KeyRow {
  id: string;
  owner_subject: string;
  scopes: string[];
  key_hash: Buffer;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}

/**
 * `ledger_api_keys`: an operational table, not part of the ledger. Its changes are also
 * recorded as identity events by ApiKeyService, so the ledger itself says who could read it.
 */
export class ApiKeyRepository {
  constructor(private readonly pool: Pool) {}

  async insert(key: { id: string; owner: string; scopes: Scope[]; hash: Buffer; createdAt: string; createdBy: string }): Promise<void> {
    await this.pool.query(sql.INSERT_KEY, [key.id, key.owner, key.scopes, key.hash, key.createdAt, key.createdBy]);
  }

  async find(id: string): Promise<StoredApiKey | null> {
    const { rows } = await this.pool.query<KeyRow>(sql.FIND_KEY, [id]);
    return rows[0] ? toStoredKey(rows[0]) : null;
  }

  async list(): Promise<StoredApiKey[]> {
    const { rows } = await this.pool.query<KeyRow>(sql.LIST_KEYS);
    return rows.map(toStoredKey);
  }

  /** False when the key was already revoked (or does not exist). */
  async revoke(id: string, at: string, by: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(sql.REVOKE_KEY, [id, at, by]);
    return (rowCount ?? 0) > 0;
  }

  async touch(uses: Map<string, string>): Promise<void> {
    if (uses.size === 0) return;
    await this.pool.query(sql.TOUCH_KEYS, [[...uses.keys()], [...uses.values()]]);
  }
}

function toStoredKey(row: KeyRow): StoredApiKey {
  return {
    id: row.id,
    owner: row.owner_subject,
    scopes: row.scopes as Scope[],
    hash: row.key_hash,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedBy: row.revoked_by,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
