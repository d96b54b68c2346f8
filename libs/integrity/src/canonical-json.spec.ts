import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '#domain';
import { canonicalBytes, canonicalJson, contentHash, sha256 } from './canonical-json.js';
import { CanonicalJsonError, type CanonicalJsonErrorReason } from './integrity-errors.js';

function rejection(value: unknown): CanonicalJsonError {
  try {
    canonicalJson(value);
  } catch (error) {
    expect(error).toBeInstanceOf(CanonicalJsonError);
    return error as CanonicalJsonError;
  }
  throw new Error(`expected ${String(value)} to be rejected`);
}

function expectRejected(value: unknown, reason: CanonicalJsonErrorReason, path = '$'): void {
  const error = rejection(value);
  expect(error.reason).toBe(reason);
  expect(error.path).toBe(path);
}

/**
 * Independent reference for ASCII-only JSON: keys sorted with a code-unit comparator, output
 * assembled by hand (JSON.stringify of an object would put integer-like keys first).
 */
function sortedStringify(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(sortedStringify).join(',') + ']';
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + sortedStringify((value as Record<string, unknown>)[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

describe('canonicalJson', () => {
  it('sorts object keys, recursively, and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, 2], c: null }, '10': true, '9': false })).toBe(
      '{"10":true,"9":false,"a":{"c":null,"d":[3,1,2]},"b":1}',
    );
  });

  it('reproduces the RFC 8785 section 3.2.2 example byte for byte', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts by UTF-16 code units (RFC 8785 3.2.3), after NFC, which decomposes U+FB33', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Plain JCS puts U+FB33 last; NFC turns it into U+05D3 U+05BC, which sorts before the euro sign.
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u05d3\u05bc":"Hebrew Letter Dalet With Dagesh","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face"}',
    );
  });

  it('orders a supplementary-plane key by its surrogates, not by its code point', () => {
    // U+1D11E is D834 DD1E in UTF-16, so it sorts before U+E000 although its code point is larger.
    expect(canonicalJson({ '\ue000': 1, '\u{1d11e}': 2 })).toBe('{"\u{1d11e}":2,"\ue000":1}');
  });

  it('normalizes every string and key to NFC so both spellings of "é" hash the same', () => {
    const decomposed = { 'caf\u0065\u0301': 'Jos\u0065\u0301', list: ['\u0065\u0301'] };
    const precomposed = { 'caf\u00e9': 'Jos\u00e9', list: ['\u00e9'] };
    expect(canonicalJson(decomposed)).toBe(canonicalJson(precomposed));
    expect(canonicalJson(decomposed)).toBe('{"caf\u00e9":"Jos\u00e9","list":["\u00e9"]}');
    expect(contentHash(decomposed).equals(contentHash(precomposed))).toBe(true);
    expect(contentHash({ name: 'e' }).equals(contentHash({ name: '\u00e9' }))).toBe(false);
  });

  it('writes numbers the ECMAScript way', () => {
    expect(canonicalJson([1.0, 1e21, 1e20, -0, 0.1 + 0.2, 1e-7, 0.000001, 5e-324, -1.7976931348623157e308])).toBe(
      '[1,1e+21,100000000000000000000,0,0.30000000000000004,1e-7,0.000001,5e-324,-1.7976931348623157e+308]',
    );
    expect(canonicalJson(2 ** 53)).toBe('9007199254740992');
    expect(canonicalJson(-0)).toBe('0');
  });

  it('escapes only what JCS escapes, with lower-case hex', () => {
    const text = '\u0000\u0001\u001f\b\t\n\f\r"\\/\u007f\u2028\u00e9';
    expect(canonicalJson(text)).toBe('"\\u0000\\u0001\\u001f\\b\\t\\n\\f\\r\\"\\\\/\u007f\u2028\u00e9"');
    expect(canonicalJson({ 'a"b\n': 1 })).toBe('{"a\\"b\\n":1}');
  });

  it('writes literals and empty containers without whitespace', () => {
    expect(canonicalJson({ a: [], b: {}, c: [null, true, false, ''] })).toBe('{"a":[],"b":{},"c":[null,true,false,""]}');
  });

  it('drops properties whose value is undefined, like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: 1, c: { d: undefined } })).toBe('{"b":1,"c":{}}');
  });

  it('accepts shared (non-cyclic) references and null-prototype objects', () => {
    const shared = { x: 1 };
    const bare = Object.assign(Object.create(null) as object, { z: 1, y: 2 });
    expect(canonicalJson({ a: shared, b: shared, c: bare })).toBe('{"a":{"x":1},"b":{"x":1},"c":{"y":2,"z":1}}');
  });

  it('rejects values that have no canonical form, saying where', () => {
    expectRejected({ a: { b: [1, Number.NaN] } }, 'non_finite_number', '$.a.b[1]');
    expectRejected(Infinity, 'non_finite_number');
    expectRejected([-Infinity], 'non_finite_number', '$[0]');
    expectRejected([1, undefined], 'undefined_in_array', '$[1]');
    // eslint-disable-next-line no-sparse-arrays
    expectRejected([1, , 3], 'undefined_in_array', '$[1]');
    expectRejected({ f: () => 1 }, 'unsupported_type', '$.f');
    expectRejected({ n: 10n }, 'unsupported_type', '$.n');
    expectRejected({ s: Symbol('x') }, 'unsupported_type', '$.s');
    expectRejected({ 'odd key': { when: new Date(0) } }, 'unsupported_type', '$["odd key"].when');
    expectRejected(new Map(), 'unsupported_type');
    expectRejected(Buffer.from('x'), 'unsupported_type');
    expectRejected(new (class Event {})(), 'unsupported_type');
    expectRejected(undefined, 'unsupported_type');
  });

  it('rejects cyclic structures', () => {
    const object: Record<string, unknown> = { a: 1 };
    object.self = { back: object };
    expectRejected(object, 'cyclic_structure', '$.self.back');
    const array: unknown[] = [];
    array.push([array]);
    expectRejected(array, 'cyclic_structure', '$[0][0]');
  });

  it('rejects nesting too deep to be an event', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    expect(rejection(deep).reason).toBe('too_deep');
  });

  it('rejects lone surrogates, which have no UTF-8 form', () => {
    expectRejected({ a: 'x\ud800' }, 'lone_surrogate', '$.a');
    expectRejected({ ['k\udc00']: 1 }, 'lone_surrogate', '$["k\\udc00"]');
  });

  it('rejects two keys that become the same after NFC', () => {
    expectRejected({ x: { 'caf\u00e9': 1, 'caf\u0065\u0301': 2 } }, 'duplicate_key_after_nfc', '$.x');
  });

  it('throws a domain error with a stable code', () => {
    const error = rejection({ a: Number.NaN });
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('invalid_argument');
    expect(error.details).toEqual({ reason: 'non_finite_number', path: '$.a' });
  });

  it('reproduces the worked example of docs/integrity.md', () => {
    const event = { n: 1.0, actor: { subject: 'okta:jose\u0301@example.com' }, action: 'ConsoleLogin' };
    const bytes = canonicalBytes(event);
    expect(bytes.toString('utf8')).toBe('{"action":"ConsoleLogin","actor":{"subject":"okta:jos\u00e9@example.com"},"n":1}');
    expect(createHash('sha256').update(Buffer.from([0])).update(bytes).digest('hex')).toBe(
      'd5d2401374370af03326e9522b33e90fc72a2ae42278364509327437f8306299',
    );
  });

  it('gives UTF-8 bytes, SHA-256 of them as the content hash', () => {
    const value = { name: 'J\u00f6rg', n: 1 };
    expect(canonicalBytes(value).toString('hex')).toBe(Buffer.from('{"n":1,"name":"J\u00f6rg"}', 'utf8').toString('hex'));
    expect(sha256(Buffer.from('abc')).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(contentHash(value).equals(createHash('sha256').update(canonicalBytes(value)).digest())).toBe(true);
  });

  it('matches sorted JSON.stringify on any ASCII JSON value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(sortedStringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a "__proto__" key from parsed input as data', () => {
    const parsed: unknown = JSON.parse('{"b":1,"__proto__":{"x":2}}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":2},"b":1}');
  });

  it('is idempotent and independent of key insertion order (property)', () => {
    const reversed = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(reversed);
      if (v && typeof v === 'object') {
        // fromEntries defines own properties: assigning a generated "__proto__" key would set
        // the prototype instead and make a value canonicalJson rightly refuses.
        return Object.fromEntries(
          Object.keys(v)
            .reverse()
            .map((key) => [key, reversed((v as Record<string, unknown>)[key])]),
        );
      }
      return v;
    };
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'grapheme' }), (value) => {
        let text: string;
        try {
          text = canonicalJson(value);
        } catch (error) {
          // Generated keys can be canonically equivalent; then every ordering must be rejected.
          expect((error as CanonicalJsonError).reason).toBe('duplicate_key_after_nfc');
          expect(() => canonicalJson(reversed(value))).toThrow(CanonicalJsonError);
          return;
        }
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(canonicalJson(reversed(value))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('hashes NFD and NFC spellings of any Unicode value the same (property)', () => {
    const map = (v: unknown, form: 'NFC' | 'NFD'): unknown => {
      if (typeof v === 'string') return v.normalize(form);
      if (Array.isArray(v)) return v.map((item) => map(item, form));
      if (v && typeof v === 'object') {
        return Object.fromEntries(Object.entries(v).map(([k, item]) => [k.normalize(form), map(item, form)]));
      }
      return v;
    };
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'grapheme' }), (value) => {
        const nfd = map(value, 'NFD');
        const nfc = map(value, 'NFC');
        let expected: string;
        try {
          expected = canonicalJson(nfc);
        } catch {
          return; // canonically equivalent keys collapsed; covered by the duplicate-key test
        }
        expect(canonicalJson(nfd)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
