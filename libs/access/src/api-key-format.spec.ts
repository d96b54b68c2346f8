import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, parseApiKey, redactApiKeys } from './api-key-format.js';
import { keyIdOf } from './api-key.service.js';

describe('API key format', () => {
  it('is lgr_<16 hex>_<43 base64url>, names its id, and hashes to what is stored', () => {
    const generated = generateApiKey();
    expect(generated.key).toMatch(/^lgr_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(generated.key.startsWith(`lgr_${generated.id}_`)).toBe(true);
    const presented = parseApiKey(generated.key)!;
    expect(presented).toEqual({ id: generated.id, prefix: `lgr_${generated.id}`, hash: generated.hash });
    expect(generated.hash).toHaveLength(32);
  });

  it('never produces the same key twice', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().key));
    expect(keys.size).toBe(200);
  });

  it('a changed secret has another hash', () => {
    const { key } = generateApiKey();
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    const other = `${key.slice(0, -1)}${last}`;
    expect(hashApiKey(other).equals(hashApiKey(key))).toBe(false);
    expect(parseApiKey(other)!.id).toBe(parseApiKey(key)!.id);
  });

  it('refuses anything not shaped like a key, without throwing', () => {
    const { key } = generateApiKey();
    for (const token of ['', 'lgr_', key.slice(0, -1), `${key}x`, key.toUpperCase(), ` ${key}`, `lgr_${'g'.repeat(16)}_${'a'.repeat(43)}`]) {
      expect(parseApiKey(token), token).toBeNull();
    }
    fc.assert(fc.property(fc.string({ maxLength: 120 }), (token) => parseApiKey(token) === null || /^lgr_[0-9a-f]{16}_/.test(token)));
  });

  it('key ids are accepted as the id, the lgr_ prefix or the whole key', () => {
    const { key, id } = generateApiKey();
    expect(keyIdOf(id)).toBe(id);
    expect(keyIdOf(`lgr_${id}`)).toBe(id);
    expect(keyIdOf(key)).toBe(id);
    expect(() => keyIdOf("1' OR '1'='1")).toThrow(/not an API key id/);
  });

  it('redacts every whole key in a text to its id, and leaves other text alone', () => {
    const { key, id } = generateApiKey();
    expect(redactApiKeys(`/v1/events?limit=1&access_token=${key}&x=${key}`)).toBe(`/v1/events?limit=1&access_token=lgr_${id}_[redacted]&x=lgr_${id}_[redacted]`);
    expect(redactApiKeys(`lgr_${id}`)).toBe(`lgr_${id}`);
    expect(redactApiKeys('/v1/subjects/alice')).toBe('/v1/subjects/alice');
  });
});
