import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from '#domain';
import {
  decodeVerifierKey,
  generateSigningKey,
  signingKeyFromPrivateKey,
  type SigningKey,
  type VerifierKey,
} from '../signed-note.js';
import { IntegrityStoreError } from './integrity-store-errors.js';

/**
 * The checkpoint signing key lives in a file, never in the database: a database superuser
 * who rewrites history must not be able to sign the rewritten log. Beside it, the verifier
 * keyring lists every public key the log has used with its validity window; that file (or
 * the vkeys in it, handed over out of band) is what auditors and `ledger verify` trust.
 *
 * Files (docs/integrity.md, "Keys"):
 *   signing key  {"format":"ledger-signing-key/v1","name","key_id","vkey","not_before","private_key_pem"}   mode 0600
 *   keyring      {"format":"ledger-verifier-keys/v1","keys":[{"name","key_id","vkey","not_before","not_after"}]}
 */

/** A public key with its validity window, as published (API, keyring file). */
export interface KeyWindow {
  name: string;
  key_id: string;
  vkey: string;
  /** RFC 3339 UTC. */
  not_before: string;
  /** RFC 3339 UTC; null while the key is the current one. */
  not_after: string | null;
}

export interface LoadedSigningKey extends SigningKey {
  notBefore: string;
}

export interface KeyFileLocations {
  signingKeyFile: string;
  verifierKeysFile: string;
  /** Name of a newly created key: the log's origin, by signed-note convention. */
  keyName: string;
}

interface Notify {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

const SIGNING_KEY_FORMAT = 'ledger-signing-key/v1';
const KEYRING_FORMAT = 'ledger-verifier-keys/v1';

export class SigningKeyFiles {
  readonly signingKeyFile: string;
  readonly verifierKeysFile: string;

  constructor(
    private readonly locations: KeyFileLocations,
    private readonly notify: Notify = { info() {}, warn() {} },
  ) {
    this.signingKeyFile = resolve(locations.signingKeyFile);
    this.verifierKeysFile = resolve(locations.verifierKeysFile);
  }

  /**
   * The current signing key, created on first use (mode 0600, created exclusively so that
   * two instances starting together end up with one key), and entered in the keyring.
   */
  ensure(now = new Date()): { key: LoadedSigningKey; created: boolean } {
    let created = false;
    if (!existsSync(this.signingKeyFile)) {
      const key = { ...generateSigningKey(this.locations.keyName), notBefore: now.toISOString() };
      created = createExclusively(this.signingKeyFile, serializeSigningKey(key));
    }
    const key = this.load();
    if (created) {
      this.notify.info(
        { file: this.signingKeyFile, vkey: key.vkey, keyring: this.verifierKeysFile },
        'created the checkpoint signing key; give its vkey to auditors out of band (npx ledger signing-key show)',
      );
    }
    const ring = this.readKeyring();
    const entry = ring?.find((k) => k.key_id === key.keyId);
    if (!ring || !entry) {
      this.writeKeyring([...(ring ?? []), windowOf(key, null)]);
    } else if (entry.not_after !== null) {
      throw new IntegrityStoreError(
        'retired_signing_key',
        `the signing key in ${this.signingKeyFile} (${key.vkey}) was retired at ${entry.not_after}; finish the rotation (npx ledger signing-key rotate)`,
      );
    }
    return { key, created };
  }

  /** The current signing key; fails when the file is missing or unusable. */
  load(): LoadedSigningKey {
    let text: string;
    try {
      text = readFileSync(this.signingKeyFile, 'utf8');
    } catch (error) {
      throw new IntegrityStoreError('no_signing_key', `cannot read the signing key file ${this.signingKeyFile}: ${(error as Error).message}`);
    }
    return parseSigningKey(text, this.signingKeyFile);
  }

  /** The trusted keys: the keyring file, or the current key alone when there is no keyring yet. */
  trustedKeys(): KeyWindow[] {
    const ring = this.readKeyring();
    if (ring) return ring;
    if (existsSync(this.signingKeyFile)) return [windowOf(this.load(), null)];
    return [];
  }

  /**
   * Replaces the signing key: the new key is valid from `now`, the old one until `now`.
   * The old private key is overwritten (checkpoints it signed stay verifiable with its
   * public key, which stays in the keyring). Call it under the tree lock, so that no
   * checkpoint is being signed with the old key meanwhile.
   */
  rotate(now = new Date()): { retired: KeyWindow; current: KeyWindow; key: LoadedSigningKey } {
    const old = this.load();
    const at = now.toISOString();
    const key: LoadedSigningKey = { ...generateSigningKey(old.name), notBefore: at };
    // Key file first: a crash before the keyring is written leaves the new key usable (ensure()
    // adds it), never a current key that the keyring already calls retired.
    replaceAtomically(this.signingKeyFile, serializeSigningKey(key), 0o600);
    const ring = this.readKeyring() ?? [windowOf(old, null)];
    const updated = ring.map((k) => (k.key_id === old.keyId ? { ...k, not_after: at } : k));
    if (!updated.some((k) => k.key_id === old.keyId)) updated.push(windowOf(old, at));
    const current = windowOf(key, null);
    updated.push(current);
    this.writeKeyring(updated);
    this.notify.info({ retired: old.vkey, current: key.vkey, at }, 'rotated the checkpoint signing key');
    return { retired: updated.find((k) => k.key_id === old.keyId)!, current, key };
  }

  private readKeyring(): KeyWindow[] | null {
    if (!existsSync(this.verifierKeysFile)) return null;
    return parseVerifierKeys(readFileSync(this.verifierKeysFile, 'utf8'), this.verifierKeysFile);
  }

  private writeKeyring(keys: KeyWindow[]): void {
    replaceAtomically(this.verifierKeysFile, `${JSON.stringify({ format: KEYRING_FORMAT, keys }, null, 2)}\n`, 0o644);
  }
}

/**
 * Trusted keys from text: a keyring file (JSON, the shape of GET /v1/integrity/keys), or
 * one or more lines `<vkey> [<not_before> [<not_after>]]` (`-` for an open bound).
 */
export function parseVerifierKeys(text: string, source = 'keys'): KeyWindow[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new InvalidArgumentError('keys', `${source}: not valid JSON: ${(error as Error).message}`);
    }
    const keys = (parsed as { keys?: unknown }).keys;
    if (!Array.isArray(keys)) throw new InvalidArgumentError('keys', `${source}: expected {"keys": [...]}`);
    return keys.map((entry, i) => {
      const k = entry as Partial<KeyWindow>;
      if (typeof k.vkey !== 'string') throw new InvalidArgumentError('keys', `${source}: keys[${i}].vkey is missing`);
      return keyWindow(k.vkey, k.not_before ?? null, k.not_after ?? null, `${source}: keys[${i}]`);
    });
  }
  const lines = trimmed.split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  if (lines.length === 0) throw new InvalidArgumentError('keys', `${source}: no key found`);
  return lines.map((line, i) => {
    const [vkey, notBefore, notAfter] = line.split(/\s+/);
    const bound = (value: string | undefined) => (value === undefined || value === '-' ? null : value);
    return keyWindow(vkey!, bound(notBefore), bound(notAfter), `${source}: line ${i + 1}`);
  });
}

/** The keys in the form signed-note verification takes. */
export function toVerifierKeys(keys: readonly KeyWindow[]): VerifierKey[] {
  return keys.map((k) => {
    const { name, publicKey } = decodeVerifierKey(k.vkey);
    return { name, publicKey, notBefore: k.not_before, notAfter: k.not_after };
  });
}

export function windowOf(key: { name: string; keyId: string; vkey: string; notBefore: string }, notAfter: string | null): KeyWindow {
  return { name: key.name, key_id: key.keyId, vkey: key.vkey, not_before: key.notBefore, not_after: notAfter };
}

function keyWindow(vkey: string, notBefore: string | null, notAfter: string | null, where: string): KeyWindow {
  let decoded;
  try {
    decoded = decodeVerifierKey(vkey);
  } catch (error) {
    throw new InvalidArgumentError('keys', `${where}: ${(error as Error).message}`);
  }
  for (const [field, value] of [['not_before', notBefore], ['not_after', notAfter]] as const) {
    if (value !== null && Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('keys', `${where}: ${field} is not a time`);
  }
  return {
    name: decoded.name,
    key_id: decoded.keyId,
    vkey,
    not_before: notBefore === null ? new Date(0).toISOString() : new Date(notBefore).toISOString(),
    not_after: notAfter === null ? null : new Date(notAfter).toISOString(),
  };
}

function serializeSigningKey(key: LoadedSigningKey): string {
  return `${JSON.stringify(
    { format: SIGNING_KEY_FORMAT, name: key.name, key_id: key.keyId, vkey: key.vkey, not_before: key.notBefore, private_key_pem: key.privateKeyPem },
    null,
    2,
  )}\n`;
}

function parseSigningKey(text: string, file: string): LoadedSigningKey {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    if (parsed.format !== SIGNING_KEY_FORMAT || typeof parsed.name !== 'string' || typeof parsed.private_key_pem !== 'string') {
      throw new Error(`expected a ${SIGNING_KEY_FORMAT} document`);
    }
    const key = signingKeyFromPrivateKey(parsed.name, parsed.private_key_pem);
    if (parsed.key_id !== undefined && parsed.key_id !== key.keyId) throw new Error('its key_id does not match its private key');
    const notBefore = typeof parsed.not_before === 'string' && !Number.isNaN(Date.parse(parsed.not_before)) ? parsed.not_before : null;
    if (!notBefore) throw new Error('not_before is missing');
    return { ...key, notBefore: new Date(notBefore).toISOString() };
  } catch (error) {
    throw new IntegrityStoreError('no_signing_key', `the signing key file ${file} is unusable: ${(error as Error).message}`);
  }
}

/** Writes `content` at `path` unless it exists; returns whether this call created it. */
function createExclusively(path: string, content: string): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function replaceAtomically(path: string, content: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode, flag: 'wx' });
  renameSync(temporary, path);
}
