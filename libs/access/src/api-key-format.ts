import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API key format: `lgr_<id>_<secret>`. The id (16 hex digits) names the key in logs, audit
 * events and `keys list` without revealing it; the secret is 32 random bytes, base64url.
 * Only a hash of the whole key is stored.
 */
const KEY_PATTERN = /^lgr_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const ID_PATTERN = /^[0-9a-f]{16}$/;

export interface GeneratedApiKey {
  id: string;
  key: string;
  hash: Buffer;
}

export interface PresentedApiKey {
  id: string;
  /** `lgr_<id>`: safe to log, names the key without the secret. */
  prefix: string;
  hash: Buffer;
}

export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(8).toString('hex');
  const key = `lgr_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, hash: hashApiKey(key) };
}

/** Splits a presented bearer token into its id and hash; null when it is not shaped like a key. */
export function parseApiKey(token: string): PresentedApiKey | null {
  const match = KEY_PATTERN.exec(token);
  if (!match) return null;
  return { id: match[1]!, prefix: `lgr_${match[1]}`, hash: hashApiKey(token) };
}

const KEY_ANYWHERE = /lgr_([0-9a-f]{16})_[A-Za-z0-9_-]{43}/g;

/**
 * Text with every whole API key in it cut to its id (`lgr_<id>_[redacted]`). What the
 * self-audit records of a request (its path, a parameter, the user agent) is kept forever in
 * an append-only ledger that every `events:read` key can read, so a key a client put in the
 * wrong place (e.g. `?access_token=`) must never reach it.
 */
export function redactApiKeys(text: string): string {
  return text.includes('lgr_') ? text.replace(KEY_ANYWHERE, 'lgr_$1_[redacted]') : text;
}

export function isApiKeyId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/**
 * SHA-256 of the whole key. A slow or salted password hash exists to make guessing a
 * low-entropy secret expensive; these secrets are 256 bits from the CSPRNG, so no guessing
 * is feasible whatever the hash speed, and a fast hash keeps checking a key on every request
 * cheap. The hash is what the database holds: a copy of the table grants no access.
 */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
