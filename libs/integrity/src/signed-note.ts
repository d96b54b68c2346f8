import { type KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync, hash, sign, verify } from 'node:crypto';
import { decodeBase64 } from './strict-base64.js';
import { SignedNoteError } from './integrity-errors.js';

/**
 * C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys: the envelope of
 * checkpoints, and usable for any other text the ledger signs (export manifests).
 *
 *     <text ending in \n>
 *     <blank line>
 *     — <key name> <base64(4-byte key id || 64-byte signature)>\n   (one or more)
 */

/** Signature type byte of Ed25519 in signed-note key ids and verifier keys. */
const ED25519_TYPE = 0x01;
const EM_DASH_PREFIX = '\u2014 ';
/** The spec requires accepting at least 16; far more is a sign of abuse, not of a real log. */
export const MAX_NOTE_SIGNATURES = 100;

// DER prefixes that turn raw RFC 8032 key bytes into the SPKI / PKCS#8 forms node:crypto takes.
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A signing key. Holds the private key: never log it or return it over an API. */
export interface SigningKey {
  name: string;
  /** Key id, 8 lower-case hex digits: SHA-256(name || 0x0A || 0x01 || public key)[:4]. */
  keyId: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  /** PKCS#8 PEM of the Ed25519 private key. */
  privateKeyPem: string;
  /** The public key as a verifier-key string, `<name>+<key id>+<base64(0x01 || public key)>`. */
  vkey: string;
}

/**
 * A key a verifier trusts. With a validity window, only signed content whose time (for a
 * checkpoint: its `time` line) falls inside [notBefore, notAfter] (inclusive) is accepted,
 * which is what lets a retired or rotated key stop counting without forgetting it.
 */
export interface VerifierKey {
  name: string;
  /** Raw 32-byte Ed25519 public key, as bytes or base64. */
  publicKey: Uint8Array | string;
  notBefore?: Date | string | null;
  notAfter?: Date | string | null;
}

export interface NoteSignature {
  name: string;
  /** 8 lower-case hex digits. */
  keyId: string;
  /** The signature bytes after the key id. */
  signature: Buffer;
}

export interface ParsedNote {
  /** The signed text, including its final newline. */
  text: string;
  signatures: NoteSignature[];
}

export interface VerifiedNote extends ParsedNote {
  /** The trusted key whose signature was accepted. */
  verifiedBy: { name: string; keyId: string };
}

export function generateSigningKey(name: string): SigningKey {
  assertKeyName(name);
  const { privateKey } = generateKeyPairSync('ed25519');
  return describeSigningKey(name, privateKey);
}

/** Loads a signing key from a PKCS#8 PEM or from the base64 of the raw 32-byte seed. */
export function signingKeyFromPrivateKey(name: string, privateKey: string): SigningKey {
  assertKeyName(name);
  return describeSigningKey(name, privateKeyObject(privateKey));
}

/** Key id (8 lower-case hex digits) of an Ed25519 key under a name, as signed-note defines it. */
export function keyIdFor(name: string, publicKey: Uint8Array): string {
  return keyIdBytes(name, publicKey).toString('hex');
}

export function encodeVerifierKey(name: string, publicKey: Uint8Array | string): string {
  assertKeyName(name);
  const raw = rawPublicKey(publicKey);
  return `${name}+${keyIdFor(name, raw)}+${Buffer.concat([Buffer.from([ED25519_TYPE]), raw]).toString('base64')}`;
}

/** Parses `<name>+<hex key id>+<base64(0x01 || public key)>`, checking the key id. */
export function decodeVerifierKey(vkey: string): { name: string; keyId: string; publicKey: Buffer } {
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) throw malformed('a verifier key has the form <name>+<key id>+<base64 key>');
  // The base64 part may itself contain '+': split on the first two only.
  const name = vkey.slice(0, first);
  const keyId = vkey.slice(first + 1, second);
  const material = decodeBase64(vkey.slice(second + 1), 'verifier key material');
  assertKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(keyId)) throw malformed('a verifier key id is 8 lower-case hex digits');
  if (material.length !== 33 || material[0] !== ED25519_TYPE) {
    throw malformed('verifier key material must be 0x01 followed by a 32-byte Ed25519 public key');
  }
  const publicKey = material.subarray(1);
  if (keyIdFor(name, publicKey) !== keyId) {
    throw malformed(`verifier key id ${keyId} does not match its name and public key`);
  }
  return { name, keyId, publicKey: Buffer.from(publicKey) };
}

/** A trusted key from its published verifier-key string, with an optional validity window. */
export function verifierKeyFromVkey(
  vkey: string,
  window: { notBefore?: Date | string | null; notAfter?: Date | string | null } = {},
): VerifierKey {
  const { name, publicKey } = decodeVerifierKey(vkey);
  return { name, publicKey, notBefore: window.notBefore ?? null, notAfter: window.notAfter ?? null };
}

/** Signs `text` (non-empty, ending in a newline) with each key, in order. */
export function signNote(text: string, keys: readonly (SigningKey | { name: string; privateKeyPem: string })[]): string {
  assertNoteText(text);
  if (keys.length === 0) throw malformed('a signed note needs at least one signature');
  const message = Buffer.from(text, 'utf8');
  let note = text + '\n';
  for (const key of keys) {
    assertKeyName(key.name);
    const privateKey = privateKeyObject(key.privateKeyPem);
    const id = keyIdBytes(key.name, rawPublicKey(createPublicKey(privateKey)));
    const signature = sign(null, message, privateKey);
    note += `${EM_DASH_PREFIX}${key.name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
  }
  return note;
}

/** Splits a signed note into its text and signature lines; does not verify anything. */
export function parseNote(note: string): ParsedNote {
  if (typeof note !== 'string') throw malformed('a signed note is text');
  if (!(note as unknown as { isWellFormed(): boolean }).isWellFormed()) throw malformed('the note is not valid Unicode');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw malformed('the note contains control characters other than newline');
  if (!note.endsWith('\n')) throw malformed('a signed note ends with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line separates the text from the signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (text.length === 0 || text === '\n') throw malformed('the note text is empty');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`);

  const signatures = lines.map((line, i) => {
    if (!line.startsWith(EM_DASH_PREFIX)) throw malformed(`signature line ${i + 1} does not start with "— "`);
    const rest = line.slice(EM_DASH_PREFIX.length);
    const space = rest.lastIndexOf(' ');
    if (space <= 0) throw malformed(`signature line ${i + 1} is not "— <key name> <base64 signature>"`);
    const name = rest.slice(0, space);
    assertKeyName(name, `signature line ${i + 1}`);
    const blob = decodeBase64(rest.slice(space + 1), `signature line ${i + 1}`);
    if (blob.length < 5) throw malformed(`signature line ${i + 1} is too short to hold a key id and a signature`);
    return { name, keyId: blob.subarray(0, 4).toString('hex'), signature: Buffer.from(blob.subarray(4)) };
  });
  return { text, signatures };
}

/**
 * Verifies a signed note against trusted keys, as signed-note prescribes: signatures from
 * unknown keys (name and key id not both matching) are ignored; a signature from a known key
 * that does not verify rejects the whole note; at least one known key must verify. `at` is
 * the time the content claims, checked against the keys' validity windows.
 */
export function verifyNote(note: string, keys: readonly VerifierKey[], options: { at?: Date | null } = {}): VerifiedNote {
  const parsed = parseNote(note);
  const trusted = keys.map(prepareVerifierKey);
  const message = Buffer.from(parsed.text, 'utf8');
  let accepted: { name: string; keyId: string } | undefined;
  const outsideWindow: string[] = [];

  for (const signature of parsed.signatures) {
    const candidates = trusted.filter((key) => key.name === signature.name && key.keyId === signature.keyId);
    if (candidates.length === 0) continue;
    const label = `${signature.name}+${signature.keyId}`;
    if (!candidates.some((key) => signature.signature.length === 64 && verify(null, message, key.object, signature.signature))) {
      throw new SignedNoteError('bad_signature', `the signature by key ${label} does not verify: the note was altered or forged`, {
        key: label,
      });
    }
    if (candidates.some((key) => key.notBefore === null && key.notAfter === null)) {
      accepted ??= { name: signature.name, keyId: signature.keyId };
      continue;
    }
    if (!options.at) {
      throw new SignedNoteError('missing_time', `key ${label} is only valid for a period, and the note states no time`, {
        key: label,
      });
    }
    const at = options.at.getTime();
    const inWindow = candidates.some(
      (key) => (key.notBefore === null || key.notBefore <= at) && (key.notAfter === null || at <= key.notAfter),
    );
    if (inWindow) accepted ??= { name: signature.name, keyId: signature.keyId };
    else outsideWindow.push(`${label} (${describeWindow(candidates)})`);
  }

  if (accepted) return { ...parsed, verifiedBy: accepted };
  if (outsideWindow.length > 0) {
    throw new SignedNoteError(
      'key_not_valid_at_time',
      `signed at ${options.at?.toISOString()} by ${outsideWindow.join(', ')}: outside the key's validity window`,
      { keys: outsideWindow },
    );
  }
  const found = parsed.signatures.map((s) => `${s.name}+${s.keyId}`).join(', ');
  const known = trusted.map((k) => `${k.name}+${k.keyId}`).join(', ') || 'none';
  throw new SignedNoteError('unknown_key', `no signature from a trusted key: signed by ${found}; trusted: ${known}`, {
    signed_by: found,
  });
}

// ---------------------------------------------------------------------------------------

interface PreparedKey {
  name: string;
  keyId: string;
  object: KeyObject;
  notBefore: number | null;
  notAfter: number | null;
}

function prepareVerifierKey(key: VerifierKey): PreparedKey {
  assertKeyName(key.name);
  const raw = rawPublicKey(key.publicKey);
  const notBefore = windowBound(key.notBefore, 'notBefore', key.name);
  const notAfter = windowBound(key.notAfter, 'notAfter', key.name);
  if (notBefore !== null && notAfter !== null && notAfter < notBefore) {
    throw malformed(`key ${key.name} has notAfter before notBefore`);
  }
  return {
    name: key.name,
    keyId: keyIdFor(key.name, raw),
    object: createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' }),
    notBefore,
    notAfter,
  };
}

function windowBound(value: Date | string | null | undefined, field: string, name: string): number | null {
  if (value === undefined || value === null) return null;
  const time = (typeof value === 'string' ? new Date(value) : value).getTime();
  if (Number.isNaN(time)) throw malformed(`key ${name} has an invalid ${field}`);
  return time;
}

function describeWindow(keys: readonly PreparedKey[]): string {
  const iso = (t: number | null) => (t === null ? 'open' : new Date(t).toISOString());
  return keys.map((k) => `valid ${iso(k.notBefore)} .. ${iso(k.notAfter)}`).join('; ');
}

function describeSigningKey(name: string, privateKey: KeyObject): SigningKey {
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  return {
    name,
    keyId: keyIdFor(name, publicKey),
    publicKey: publicKey.toString('base64'),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    vkey: encodeVerifierKey(name, publicKey),
  };
}

function privateKeyObject(privateKey: string): KeyObject {
  try {
    if (privateKey.includes('-----BEGIN')) {
      const key = createPrivateKey(privateKey);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
      return key;
    }
    const seed = decodeBase64(privateKey.trim(), 'private key');
    if (seed.length !== 32) throw new Error('a raw Ed25519 private key is a 32-byte seed');
    return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw malformed(`unusable Ed25519 private key: ${(error as Error).message}`);
  }
}

function rawPublicKey(publicKey: Uint8Array | string | KeyObject): Buffer {
  if (typeof publicKey === 'object' && 'export' in publicKey) {
    return Buffer.from((publicKey as KeyObject).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length));
  }
  const raw = typeof publicKey === 'string' ? decodeBase64(publicKey, 'public key') : Buffer.from(publicKey);
  if (raw.length !== 32) throw malformed('an Ed25519 public key is 32 bytes');
  return raw;
}

function keyIdBytes(name: string, publicKey: Uint8Array): Buffer {
  const input = Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, ED25519_TYPE]), publicKey]);
  return hash('sha256', input, 'buffer').subarray(0, 4);
}

function assertKeyName(name: string, where = 'key name'): void {
  // signed-note: non-empty, no Unicode spaces, no '+'. Control characters never fit a line.
  if (typeof name !== 'string' || name.length === 0 || /[\s+\u0000-\u001f]/u.test(name)) {
    throw malformed(`${where}: a key name is non-empty text without spaces or '+'`);
  }
}

function assertNoteText(text: string): void {
  if (typeof text !== 'string' || text.length === 0 || text === '\n' || !text.endsWith('\n')) {
    throw malformed('note text must be non-empty and end with a newline');
  }
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw malformed('note text must not contain control characters other than newline');
  if (!(text as unknown as { isWellFormed(): boolean }).isWellFormed()) throw malformed('note text is not valid Unicode');
}

function malformed(message: string): SignedNoteError {
  return new SignedNoteError('malformed', message);
}
