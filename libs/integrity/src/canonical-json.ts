import { hash } from 'node:crypto';
import { CanonicalJsonError, type CanonicalJsonErrorReason } from './integrity-errors.js';

/**
 * The canonical form that ledger events are hashed in (docs/integrity.md, "Canonical form").
 *
 * It is RFC 8785 (JCS) applied to the value after every string, property names included, has
 * been normalized to Unicode NFC. NFC first, because the same name typed on two systems
 * ("é" precomposed or as e + U+0301) must hash the same (DESIGN 5.11). Everything else is
 * JCS: properties sorted by UTF-16 code units, no whitespace, ECMAScript number formatting,
 * JSON.stringify's minimal string escaping.
 *
 * Only the JSON data model is accepted: plain objects, arrays, strings, finite numbers,
 * booleans and null. Properties whose value is `undefined` are dropped, as JSON.stringify
 * drops them; everything that JSON.stringify would coerce or drop elsewhere is rejected.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) {
    throw new CanonicalJsonError('unsupported_type', '$', 'undefined has no JSON form');
  }
  // Pieces joined once at the end: a flat string, where `+=` would build a deep rope that
  // costs as much again to flatten when the caller encodes it to UTF-8.
  const parts: string[] = [];
  try {
    serialize(value, [], parts);
  } catch (error) {
    if (error instanceof PathedFailure) throw error.toError();
    throw error;
  }
  return parts.join('');
}

/** The UTF-8 bytes of {@link canonicalJson}: what is hashed. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}

export function sha256(bytes: Uint8Array | string): Buffer {
  return hash('sha256', bytes, 'buffer');
}

/** SHA-256 of the canonical bytes: identifies content (idempotency keys), not a Merkle leaf. */
export function contentHash(value: unknown): Buffer {
  return sha256(canonicalBytes(value));
}

/**
 * Deep enough for any ledger event (they nest about five levels) and far below the point
 * where recursion would overflow the stack, which would surface as an opaque RangeError.
 */
export const MAX_CANONICAL_DEPTH = 256;

// String.prototype.isWellFormed is in Node >= 20 but not in TypeScript's ES2023 lib.
interface WellFormedCheck {
  isWellFormed(): boolean;
}

/** Characters that JSON.stringify would escape; if none occur, quoting is plain concatenation. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/**
 * Anything but printable ASCII other than `"` and `\`. One native regex scan that usually
 * finds nothing is the whole cost of most strings and keys.
 */
const NEEDS_WORK = /[^\u0020\u0021\u0023-\u005b\u005d-\u007e]/;

/** Objects up to this many keys are sorted by insertion sort, which beats Array#sort there. */
const INSERTION_SORT_LIMIT = 24;

/**
 * Carries the failure up the recursion so each level can prepend its path segment; building
 * the path only on failure keeps the success path free of per-property bookkeeping.
 */
class PathedFailure {
  readonly segments: string[] = [];
  constructor(
    readonly reason: CanonicalJsonErrorReason,
    readonly detail: string,
  ) {}

  toError(): CanonicalJsonError {
    return new CanonicalJsonError(this.reason, '$' + this.segments.reverse().join(''), this.detail);
  }
}

function serialize(value: unknown, ancestors: object[], parts: string[]): void {
  switch (typeof value) {
    case 'string':
      parts.push(quote(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new PathedFailure('non_finite_number', `${value} is not a finite number`);
      // ECMAScript Number::toString is exactly JCS's number form; it also turns -0 into "0".
      parts.push(String(value));
      return;
    case 'boolean':
      parts.push(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) parts.push('null');
      else if (Array.isArray(value)) serializeArray(value, ancestors, parts);
      else serializeObject(value, ancestors, parts);
      return;
    case 'undefined':
      // Only reachable for array elements: object properties are filtered before recursing.
      throw new PathedFailure('undefined_in_array', 'undefined (or a hole) inside an array');
    default:
      throw new PathedFailure('unsupported_type', `${typeof value} has no JSON form`);
  }
}

function enter(value: object, ancestors: object[]): void {
  if (ancestors.includes(value)) throw new PathedFailure('cyclic_structure', 'the value contains itself');
  if (ancestors.length >= MAX_CANONICAL_DEPTH) {
    throw new PathedFailure('too_deep', `nesting deeper than ${MAX_CANONICAL_DEPTH} levels`);
  }
  ancestors.push(value);
}

function serializeArray(array: readonly unknown[], ancestors: object[], parts: string[]): void {
  enter(array, ancestors);
  parts.push('[');
  for (let i = 0; i < array.length; i++) {
    if (i > 0) parts.push(',');
    try {
      serialize(array[i], ancestors, parts);
    } catch (error) {
      if (error instanceof PathedFailure) error.segments.push(`[${i}]`);
      throw error;
    }
  }
  parts.push(']');
  ancestors.pop();
}

function serializeObject(object: object, ancestors: object[], parts: string[]): void {
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    // Date, Map, Buffer, class instances: JSON.stringify would call toJSON or emit `{}`,
    // so the hash would depend on a type's behaviour rather than on data.
    const name = (object as { constructor?: { name?: string } }).constructor?.name ?? 'exotic object';
    throw new PathedFailure('unsupported_type', `${name} is not a plain object`);
  }
  enter(object, ancestors);
  const record = object as Record<string, unknown>;
  const keys = Object.keys(record);
  let plain = true;
  for (let i = 0; i < keys.length; i++) {
    if (NEEDS_WORK.test(keys[i])) {
      plain = false;
      break;
    }
  }
  // Plain keys are their own name and need no escaping; the rest are normalized first, and
  // `keys` is reordered alongside so that keys[i] still reads the value of names[i].
  const names = plain ? sortCodeUnits(keys) : normalizedSortedNames(keys);

  parts.push('{');
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const item = record[keys[i]];
    if (item === undefined) continue;
    const name = plain ? '"' + names[i] + '":' : escape(names[i]) + ':';
    parts.push(first ? name : ',' + name);
    first = false;
    try {
      serialize(item, ancestors, parts);
    } catch (error) {
      if (error instanceof PathedFailure) error.segments.push(keyPath(names[i]));
      throw error;
    }
  }
  parts.push('}');
  ancestors.pop();
}

/** Sorts in place by UTF-16 code units (what `<` on strings compares) and returns the array. */
function sortCodeUnits(keys: string[]): string[] {
  if (keys.length > INSERTION_SORT_LIMIT) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/**
 * Normalizes the names, then sorts `keys` in place into the order of their normalized names
 * and returns those names, so that `keys[i]` still reads the value written under `names[i]`.
 */
function normalizedSortedNames(keys: string[]): string[] {
  const pairs = keys.map((key) => ({ key, name: isAscii(key) ? key : nfc(key, keyPath(key)) }));
  pairs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names: string[] = new Array<string>(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const { key, name } = pairs[i];
    if (i > 0 && name === names[i - 1]) {
      // Two distinct keys that are the same text after NFC: JSON with duplicate names has no
      // agreed meaning, so it cannot have a canonical form.
      throw new PathedFailure('duplicate_key_after_nfc', `two properties normalize to ${JSON.stringify(name)}`);
    }
    keys[i] = key;
    names[i] = name;
  }
  return names;
}

function quote(value: string): string {
  if (!NEEDS_WORK.test(value)) return '"' + value + '"';
  return escape(isAscii(value) ? value : nfc(value, ''));
}

function escape(text: string): string {
  // JSON.stringify's string escaping is the one JCS specifies (lower-case \u00xx for the
  // other controls, nothing else escaped); it is only called when there is something to escape.
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : '"' + text + '"';
}

/**
 * A UTF-16 string is all ASCII exactly when its UTF-8 length equals its length; V8 computes
 * Buffer.byteLength natively, several times faster than a regular expression or a loop.
 */
function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}

function nfc(text: string, segment: string): string {
  if (!(text as unknown as WellFormedCheck).isWellFormed()) {
    // A lone surrogate has no UTF-8 encoding: Buffer.from would silently turn it into U+FFFD,
    // so two different strings would hash the same.
    const failure = new PathedFailure('lone_surrogate', 'string contains an unpaired UTF-16 surrogate');
    if (segment) failure.segments.push(segment);
    throw failure;
  }
  return text.normalize('NFC');
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function keyPath(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
