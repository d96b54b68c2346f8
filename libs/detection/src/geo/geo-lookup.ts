import { isPublicIp, parseIp, parseIpv4, parseIpv6, type PublicIpPolicy } from './ip-address.js';

/**
 * Where a public address is: ISO 3166-1 alpha-2 country and autonomous system. Detectors
 * take a GeoLookup as an input so that they stay pure: production passes the offline
 * database from the npm data packages, tests pass a fixed table.
 */
export interface GeoInfo {
  country: string | null;
  asn: number | null;
  asOrg: string | null;
}

export interface GeoLookup {
  /** Null for anything that is not a public IP under the lookup's policy, or that nothing is known about. */
  lookup(ip: string): GeoInfo | null;
  /** The private-range policy the lookup applies (so that callers judge "public" the same way). */
  readonly policy: PublicIpPolicy;
}

/** A lookup that knows nothing: every detector that needs geography stays silent. */
export const NO_GEO: GeoLookup = Object.freeze({ lookup: () => null, policy: {} });

export interface StaticGeoEntry {
  /** An IPv4 or IPv6 CIDR (`81.2.69.0/24`, `2a02:8100::/32`) or a single address. */
  cidr: string;
  country: string | null;
  asn?: number | null;
  asOrg?: string | null;
}

interface CompiledEntry {
  version: 4 | 6;
  v4Base: number;
  v4Size: number;
  v6Base: bigint;
  v6Bits: number;
  info: GeoInfo;
}

/**
 * An in-memory table for tests and examples. The most specific (longest) matching prefix
 * wins, as in a routing table.
 */
export class StaticGeoLookup implements GeoLookup {
  private readonly entries: CompiledEntry[];

  constructor(
    entries: readonly StaticGeoEntry[],
    readonly policy: PublicIpPolicy = {},
  ) {
    this.entries = entries.map(compile).sort((a, b) => prefixLength(b) - prefixLength(a));
  }

  lookup(ip: string): GeoInfo | null {
    if (!isPublicIp(ip, this.policy)) return null;
    const parsed = parseIp(ip);
    if (parsed === null) return null;
    for (const e of this.entries) {
      if (parsed.version === 4 && e.version === 4) {
        if (parsed.value >= e.v4Base && parsed.value < e.v4Base + e.v4Size) return e.info;
      } else if (parsed.version === 6 && e.version === 6) {
        const value = (parsed.hi << 64n) | parsed.lo;
        if (value >> BigInt(128 - e.v6Bits) === e.v6Base >> BigInt(128 - e.v6Bits)) return e.info;
      }
    }
    return null;
  }
}

function prefixLength(e: CompiledEntry): number {
  return e.version === 4 ? 32 - Math.log2(e.v4Size) : e.v6Bits;
}

function compile(entry: StaticGeoEntry): CompiledEntry {
  const [address, lengthText] = entry.cidr.split('/');
  const info: GeoInfo = { country: entry.country, asn: entry.asn ?? null, asOrg: entry.asOrg ?? null };
  if (address.includes(':')) {
    const v6 = parseIpv6(address);
    if (v6 === null) throw new RangeError(`not an IPv6 prefix: ${entry.cidr}`);
    const bits = lengthText === undefined ? 128 : Number(lengthText);
    return { version: 6, v4Base: 0, v4Size: 0, v6Base: (v6.hi << 64n) | v6.lo, v6Bits: bits, info };
  }
  const base = parseIpv4(address);
  if (base === null) throw new RangeError(`not an IPv4 prefix: ${entry.cidr}`);
  const bits = lengthText === undefined ? 32 : Number(lengthText);
  return { version: 4, v4Base: base, v4Size: 2 ** (32 - bits), v6Base: 0n, v6Bits: 0, info };
}

/**
 * Remembers answers for recently seen addresses. A person's events come from a handful of
 * addresses, so nearly every lookup is a hit; the bound keeps memory flat under a spray of
 * distinct addresses. Caching never changes an answer, so determinism is unaffected.
 */
export class CachedGeoLookup implements GeoLookup {
  private readonly cache = new Map<string, GeoInfo | null>();

  constructor(
    private readonly inner: GeoLookup,
    private readonly capacity = 50_000,
  ) {}

  get policy(): PublicIpPolicy {
    return this.inner.policy;
  }

  lookup(ip: string): GeoInfo | null {
    const hit = this.cache.get(ip);
    if (hit !== undefined) return hit;
    const answer = this.inner.lookup(ip);
    if (this.cache.size >= this.capacity) this.cache.clear();
    this.cache.set(ip, answer);
    return answer;
  }
}
