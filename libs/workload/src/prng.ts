/**
 * The workload's own seeded PRNG: sfc32 (Chris Doty-Humphrey's "Small Fast Chaotic" generator,
 * 128-bit state, 32-bit output, period >= 2^32 per seed and ~2^127 on average, passes
 * PractRand), seeded through splitmix32 from a 32-bit FNV-1a hash of the seed parts.
 *
 * Why our own: the same seed must give byte-identical workloads on every machine and Node
 * version. `Math.random` is unseedable, and transcendental functions (`Math.log`, `Math.exp`,
 * `Math.pow` with fractional exponents) are not required by the spec to be correctly
 * rounded, so nothing here (nor in the generator) uses them. Only 32-bit integer operations,
 * exact divisions by powers of two, `+ - * /` and `Math.floor`, all of which IEEE 754
 * defines exactly.
 */
export type SeedPart = string | number;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_POW_32 = 4294967296;

/** 32-bit FNV-1a over the parts joined by NUL, so ('ab','c') and ('a','bc') differ. */
export function hashSeed(...parts: SeedPart[]): number {
  let h = FNV_OFFSET;
  for (let p = 0; p < parts.length; p++) {
    const s = p === 0 ? String(parts[p]) : '\u0000' + String(parts[p]);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, FNV_PRIME);
    }
  }
  return h >>> 0;
}

/**
 * murmur3's 32-bit finaliser. It is a bijection on uint32, which is what makes it useful for
 * event ids: distinct inputs can never collide.
 */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const HEX = '0123456789abcdef';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...seed: SeedPart[]) {
    const st = { s: hashSeed(...seed) };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    // sfc32's first outputs are still correlated with the seed words.
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [min, max] (inclusive). */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)];
  }

  /** `items` are `[value, weight]` pairs; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let x = this.float() * total;
    for (const [v, w] of items) {
      if (x < w) return v;
      x -= w;
    }
    return items[items.length - 1][0];
  }

  /** Roughly bell-shaped in [min, max] (mean of three uniforms), without `Math.log`. */
  bell(min: number, max: number): number {
    return min + ((this.float() + this.float() + this.float()) / 3) * (max - min);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  hex(length: number): string {
    return this.chars(HEX, length);
  }

  /** AWS key ids use the RFC 4648 base32 alphabet after their 4-letter prefix. */
  base32(length: number): string {
    return this.chars(BASE32, length);
  }

  upperAlnum(length: number): string {
    return this.chars(UPPER_ALNUM, length);
  }

  base64(length: number): string {
    return this.chars(BASE64, length);
  }

  /** A UUID v4 string (version nibble 4, RFC 4122 variant). */
  uuid(): string {
    return formatUuid(this.nextU32(), this.nextU32(), this.nextU32(), this.nextU32());
  }

  private chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

// Number#toString(16) is slow in V8 and ids are built for every record.
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => HEX[i >> 4] + HEX[i & 15]);

function hex8(x: number): string {
  return HEX_BYTE[(x >>> 24) & 255] + HEX_BYTE[(x >>> 16) & 255] + HEX_BYTE[(x >>> 8) & 255] + HEX_BYTE[x & 255];
}

/** Lays four words out as a UUID v4: `w3` lands whole in the last 8 hex digits. */
export function formatUuid(w0: number, w1: number, w2: number, w3: number): string {
  const h1 = hex8(w1);
  const h2 = hex8(w2);
  const versioned = '4' + h1.slice(5, 8);
  const variant = HEX[8 + ((w2 >>> 28) & 3)] + h2.slice(1, 4);
  return `${hex8(w0)}-${h1.slice(0, 4)}-${versioned}-${variant}-${h2.slice(4, 8)}${hex8(w3)}`;
}
