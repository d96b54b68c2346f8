import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiKeyRepository, ApiKeyService, parseScopes, type StoredApiKey } from '#access';
import { createPool, ensureDatabase, migrate, type Pool } from '#event-store';
import { createLedgerEventStore, IngestService } from '#ingestion';
import { printResult, type CliContext } from './cli-context.js';

/** Who runs the command, when --actor does not say: the local OS account. */
export function defaultActor(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return `local:uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

async function withKeys<T>(context: CliContext, work: (keys: ApiKeyService) => Promise<T>): Promise<T> {
  await ensureDatabase(context.config.databaseUrl);
  const pool: Pool = createPool(context.config.databaseUrl, 2);
  try {
    await migrate(pool);
    return await work(new ApiKeyService(new ApiKeyRepository(pool), new IngestService(createLedgerEventStore(pool))));
  } finally {
    await pool.end();
  }
}

export async function keysCreateCommand(context: CliContext, options: { owner: string; scopes: string; actor?: string }): Promise<void> {
  const scopes = parseScopes(options.scopes);
  const created = await withKeys(context, (keys) => keys.create({ owner: options.owner, scopes, actor: options.actor ?? defaultActor() }));
  printResult(
    context,
    { id: created.id, key: created.key, owner: created.owner, scopes: created.scopes, created_at: created.createdAt, created_by: created.createdBy },
    () =>
      [
        `API key ${created.id} created for ${created.owner} (scopes: ${created.scopes.join(', ')})`,
        '',
        `  ${created.key}`,
        '',
        'This is the only time the key is shown; only its hash is stored. Use it as:',
        `  curl -H 'Authorization: Bearer ${created.key}' 'http://localhost:${context.config.http.port}/v1/events?limit=5'`,
      ].join('\n'),
  );
}

export async function keysListCommand(context: CliContext): Promise<void> {
  const listed = await withKeys(context, (keys) => keys.list());
  printResult(context, { keys: listed.map(describeKey) }, () =>
    listed.length === 0
      ? 'no API keys'
      : listed
          .map(
            (key) =>
              `${key.id}  ${key.revokedAt ? 'revoked' : 'active '}  ${key.owner}  [${key.scopes.join(',')}]  ` +
              `created ${key.createdAt} by ${key.createdBy}${key.revokedAt ? `, revoked ${key.revokedAt} by ${key.revokedBy}` : ''}` +
              `${key.lastUsedAt ? `, last used ${key.lastUsedAt}` : ''}`,
          )
          .join('\n'),
  );
}

export async function keysRevokeCommand(context: CliContext, id: string, options: { actor?: string }): Promise<void> {
  const revoked = await withKeys(context, (keys) => keys.revoke({ id, actor: options.actor ?? defaultActor() }));
  printResult(
    context,
    { id: revoked.id, owner: revoked.owner, revoked_at: revoked.revokedAt, revoked_by: revoked.revokedBy, already_revoked: revoked.alreadyRevoked },
    () =>
      revoked.alreadyRevoked
        ? `API key ${revoked.id} was already revoked (${revoked.revokedAt} by ${revoked.revokedBy})`
        : `API key ${revoked.id} of ${revoked.owner} revoked`,
  );
}

function describeKey(key: StoredApiKey) {
  return {
    id: key.id,
    owner: key.owner,
    scopes: key.scopes,
    status: key.revokedAt ? 'revoked' : 'active',
    created_at: key.createdAt,
    created_by: key.createdBy,
    revoked_at: key.revokedAt,
    revoked_by: key.revokedBy,
    last_used_at: key.lastUsedAt,
  };
}

/**
 * The demo's key: reused from `.cache/demo-api-key` while it still works against this
 * database, otherwise created (admin, owned by the local OS account) and saved there, readable
 * only by its owner, so that curl examples keep working from one demo run to the next.
 */
export async function demoApiKey(pool: Pool, ingest: IngestService): Promise<{ key: string; owner: string; file: string; created: boolean }> {
  const file = join(repositoryRoot(), '.cache', 'demo-api-key');
  const keys = new ApiKeyService(new ApiKeyRepository(pool), ingest);
  const saved = await readFile(file, 'utf8').then((text) => text.trim(), () => null);
  if (saved) {
    const existing = await keys.authenticate(saved).catch(() => null);
    if (existing) return { key: saved, owner: existing.owner, file, created: false };
  }
  const actor = defaultActor();
  const created = await keys.create({ owner: actor, scopes: ['admin'], actor });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${created.key}\n`, { mode: 0o600 });
  return { key: created.key, owner: created.owner, file, created: true };
}

function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) return process.cwd();
    directory = parent;
  }
  return directory;
}
