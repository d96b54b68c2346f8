import { hostname } from 'node:os';
import { InvalidArgumentError, NotFoundError } from '#domain';
import type { IngestService } from '#ingestion';
import { UNKNOWN_SUBJECT, UnauthenticatedError, type AccessAttempt } from './access-errors.js';
import { apiKeyChangeEvent, type ApiKeyChange } from './access-events.js';
import { generateApiKey, isApiKeyId, parseApiKey, sameHash } from './api-key-format.js';
import type { ApiKeyRepository, StoredApiKey } from './api-key.repository.js';
import { validateOwnerSubject } from './owner-subject.js';
import { isScope, SCOPES, type Scope } from './scopes.js';

export interface AuthenticatedKey {
  id: string;
  owner: string;
  scopes: Scope[];
}

export interface CreatedApiKey extends AuthenticatedKey {
  /** The key itself: shown once, never stored. */
  key: string;
  createdAt: string;
  createdBy: string;
}

export interface RevokedApiKey {
  id: string;
  owner: string;
  revokedAt: string;
  revokedBy: string;
  /** It had been revoked before this call; nothing changed. */
  alreadyRevoked: boolean;
}

export interface ApiKeyServiceOptions {
  /** How long a looked-up key is trusted without asking the database again (ms). */
  cacheMs?: number;
  now?: () => Date;
}

const MAX_CACHED = 10_000;

/**
 * Creating, revoking and checking API keys. Creation and revocation are appended to the
 * ledger as identity events through the ordinary ingestion use case.
 */
export class ApiKeyService {
  private readonly cache = new Map<string, { key: StoredApiKey; until: number }>();
  private readonly uses = new Map<string, string>();
  private readonly cacheMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly ingest: IngestService,
    options: ApiKeyServiceOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 0;
    this.now = options.now ?? (() => new Date());
  }

  async create(request: { owner: string; scopes: Scope[]; actor: string }): Promise<CreatedApiKey> {
    const owner = validateOwnerSubject(request.owner);
    const actor = validateOwnerSubject(request.actor, 'actor');
    if (request.scopes.length === 0 || !request.scopes.every(isScope)) {
      throw new InvalidArgumentError('scopes', `give at least one of: ${SCOPES.join(', ')}`);
    }
    const generated = generateApiKey();
    const createdAt = this.now().toISOString();
    // The ledger hears of the key before the key exists: a failure in between leaves a
    // recorded key that never worked, never a working key the ledger does not know about.
    await this.record({ change: 'created', keyId: generated.id, owner, scopes: request.scopes, actor, time: createdAt, host: hostname() });
    await this.keys.insert({ id: generated.id, owner, scopes: request.scopes, hash: generated.hash, createdAt, createdBy: actor });
    return { id: generated.id, key: generated.key, owner, scopes: request.scopes, createdAt, createdBy: actor };
  }

  async list(): Promise<StoredApiKey[]> {
    return this.keys.list();
  }

  /**
   * Revokes at once in the key table (it is the table that stops the key), then records the
   * revocation in the ledger. Revoking again re-records the first revocation, which the
   * ledger counts as a duplicate, so a run interrupted in between is completed by a rerun.
   */
  async revoke(request: { id: string; actor: string }): Promise<RevokedApiKey> {
    const id = keyIdOf(request.id);
    const actor = validateOwnerSubject(request.actor, 'actor');
    const changed = await this.keys.revoke(id, this.now().toISOString(), actor);
    const key = await this.keys.find(id);
    if (!key) throw new NotFoundError('api key', id);
    this.cache.delete(id);
    await this.record({
      change: 'revoked',
      keyId: id,
      owner: key.owner,
      scopes: key.scopes,
      actor: key.revokedBy!,
      time: key.revokedAt!,
      host: hostname(),
    });
    return { id, owner: key.owner, revokedAt: key.revokedAt!, revokedBy: key.revokedBy!, alreadyRevoked: !changed };
  }

  /** The key a bearer token names, or UnauthenticatedError saying (to the log, not the caller) who tried. */
  async authenticate(token: string | null): Promise<AuthenticatedKey> {
    if (token === null) throw new UnauthenticatedError('an API key is required (Authorization: Bearer <key>)', anonymousAttempt(null), false);
    const presented = parseApiKey(token);
    if (!presented) throw new UnauthenticatedError('the bearer token is not an API key of this ledger', anonymousAttempt(null), true);
    const stranger: AccessAttempt = { subject: UNKNOWN_SUBJECT, principal: presented.prefix, keyId: null };
    const key = await this.lookup(presented.id);
    if (!key || !sameHash(key.hash, presented.hash)) throw new UnauthenticatedError('unknown API key', stranger, true);
    if (key.revokedAt !== null) {
      // The whole key matched: its owner is accountable for the attempt.
      throw new UnauthenticatedError('this API key has been revoked', { subject: key.owner, principal: presented.prefix, keyId: key.id }, true);
    }
    this.uses.set(key.id, this.now().toISOString());
    return { id: key.id, owner: key.owner, scopes: key.scopes };
  }

  /** Writes when each key was last used (batched: one statement for all keys used since the last call). */
  async flushUsage(): Promise<void> {
    if (this.uses.size === 0) return;
    const uses = new Map(this.uses);
    this.uses.clear();
    await this.keys.touch(uses);
  }

  private async lookup(id: string): Promise<StoredApiKey | null> {
    const clock = Date.now();
    const cached = this.cache.get(id);
    if (cached && cached.until > clock) return cached.key;
    const key = await this.keys.find(id);
    // Only keys that exist are cached: unknown ids must not fill memory.
    if (key && this.cacheMs > 0) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(id, { key, until: clock + this.cacheMs });
    }
    return key;
  }

  private async record(change: ApiKeyChange): Promise<void> {
    const body = Buffer.from(JSON.stringify(apiKeyChangeEvent(change)), 'utf8');
    const outcome = await this.ingest.ingest([{ body, headers: {}, declaredFormat: 'canonical', kafka: null }], {
      channel: 'ledger',
      maxMessageBytes: body.length,
    });
    if (outcome.rejections.length) throw new Error(`the ledger refused the key event: ${outcome.rejections[0]!.message}`);
  }
}

/** Accepts a key id, its `lgr_<id>` prefix, or the whole key. */
export function keyIdOf(value: string): string {
  const text = value.trim();
  const presented = parseApiKey(text);
  if (presented) return presented.id;
  const id = text.startsWith('lgr_') ? text.slice(4) : text;
  if (!isApiKeyId(id)) throw new InvalidArgumentError('id', 'not an API key id (16 hex digits, as `keys list` shows)');
  return id;
}

function anonymousAttempt(prefix: string | null): AccessAttempt {
  return { subject: UNKNOWN_SUBJECT, principal: prefix ?? 'anonymous', keyId: null };
}
