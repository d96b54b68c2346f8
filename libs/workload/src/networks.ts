import type { Prng } from './prng.js';

/**
 * Source addresses per country. The prefixes are real allocations of large consumer ISPs in
 * each country (e.g. Deutsche Telekom 79.192.0.0/10 and 2003::/19, Comcast 73.0.0.0/8 and
 * 2601::/20, Reliance Jio 49.32.0.0/11 and 2409:4000::/22), so a geo/ASN database puts the
 * generated addresses in the intended country. None of them is a documentation range:
 * those would be treated as non-public and skip geo logic entirely. Ranges that the
 * ip-location-db data splits across countries were replaced by ones it places wholly in one
 * (checked by a test of the detection library).
 */
export type CountryCode = 'DE' | 'GB' | 'FR' | 'ES' | 'PL' | 'US' | 'IN' | 'BR';

export interface CountryNetworks {
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
}

export const COUNTRY_NETWORKS: Readonly<Record<CountryCode, CountryNetworks>> = {
  DE: { ipv4: ['79.192.0.0/10', '91.0.0.0/10', '88.64.0.0/12'], ipv6: ['2003::/19'] },
  GB: { ipv4: ['86.128.0.0/10', '81.128.0.0/11', '82.0.0.0/14'], ipv6: ['2a00:23c0::/29'] },
  FR: { ipv4: ['90.0.0.0/10', '82.224.0.0/11'], ipv6: ['2a01:cb00::/24', '2a01:e0a::/32'] },
  ES: { ipv4: ['83.32.0.0/11', '88.0.0.0/11'], ipv6: [] },
  PL: { ipv4: ['83.0.0.0/11'], ipv6: [] },
  US: { ipv4: ['73.0.0.0/8', '98.192.0.0/10', '24.0.0.0/12'], ipv6: ['2601::/20', '2600:1700::/28'] },
  IN: { ipv4: ['49.36.0.0/14', '122.160.0.0/12', '117.192.0.0/10'], ipv6: ['2409:4000::/22', '2401:4900::/32'] },
  BR: { ipv4: ['177.32.0.0/12', '177.64.0.0/12'], ipv6: ['2804::/16'] },
};

/**
 * AWS-owned public ranges (published in ip-ranges.json) for callers that run inside AWS:
 * CI runners and Lambda functions. They are public IPs, but of an AWS ASN, not an ISP.
 */
export const AWS_NETWORKS = {
  euWest1: ['3.248.0.0/13', '34.240.0.0/13', '52.208.0.0/13'],
  euCentral1: ['3.120.0.0/14'],
} as const;

/**
 * Networks for evaluation scenarios (DESIGN 7 baselines). Attackers sign in from countries
 * where the organisation has nobody; stolen keys are used from hosting providers in the
 * victim's own country; people on holiday connect from resorts. All are real allocations.
 */
export const ATTACK_NETWORKS: Readonly<Record<string, readonly string[]>> = {
  RU: ['178.64.0.0/13'],
  VN: ['27.64.0.0/12'],
  NG: ['41.184.0.0/16'],
  CN: ['58.32.0.0/11'],
  UA: ['46.211.0.0/16'],
  TR: ['78.160.0.0/11'],
  ID: ['36.64.0.0/11'],
  BR: ['177.32.0.0/12'],
};

/** Hosting providers (Hetzner, DigitalOcean, Scaleway) by the country their ranges are in. */
export const HOSTING_NETWORKS: Readonly<Partial<Record<CountryCode, readonly string[]>>> = {
  DE: ['88.198.0.0/16', '5.9.0.0/16'],
  GB: ['178.62.0.0/17'],
  FR: ['51.15.0.0/16'],
  US: ['104.131.0.0/16', '45.55.0.0/16'],
  IN: ['139.59.0.0/18'],
};

export const VACATION_NETWORKS: Readonly<Record<string, { ipv4: readonly string[]; utcOffsetMinutes: number }>> = {
  IT: { ipv4: ['79.0.0.0/12'], utcOffsetMinutes: 60 },
  PT: { ipv4: ['85.240.0.0/13'], utcOffsetMinutes: 0 },
  NL: { ipv4: ['77.160.0.0/12'], utcOffsetMinutes: 60 },
  MX: { ipv4: ['187.128.0.0/11'], utcOffsetMinutes: -360 },
  TH: { ipv4: ['171.96.0.0/13'], utcOffsetMinutes: 420 },
};

function parseIpv4Cidr(cidr: string): { base: number; size: number } {
  const [addr, len] = cidr.split('/');
  const o = addr.split('.').map(Number);
  const base = ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
  return { base, size: 2 ** (32 - Number(len)) };
}

export function randomIpv4In(rng: Prng, cidr: string): string {
  const { base, size } = parseIpv4Cidr(cidr);
  // Avoid network/broadcast-looking .0 and .255 hosts: real clients rarely show them.
  let x: number;
  do {
    x = (base + rng.int(size)) >>> 0;
  } while ((x & 0xff) === 0 || (x & 0xff) === 0xff);
  return `${x >>> 24}.${(x >>> 16) & 0xff}.${(x >>> 8) & 0xff}.${x & 0xff}`;
}

function expandIpv6(addr: string): number[] {
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const h = head ? head.split(':').map((x) => parseInt(x, 16)) : [];
  const t = tail ? tail.split(':').map((x) => parseInt(x, 16)) : [];
  const fill = tail === undefined ? [] : new Array<number>(8 - h.length - t.length).fill(0);
  return [...h, ...fill, ...t];
}

/** RFC 5952 canonical text: lowercase, no leading zeros, longest zero run (>= 2) as `::`. */
export function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function randomIpv6In(rng: Prng, cidr: string): string {
  const [addr, lenText] = cidr.split('/');
  const groups = expandIpv6(addr);
  const len = Number(lenText);
  for (let g = 0; g < 8; g++) {
    const fixedBits = Math.max(0, Math.min(16, len - g * 16));
    if (fixedBits === 16) continue;
    const mask = fixedBits === 0 ? 0 : (0xffff << (16 - fixedBits)) & 0xffff;
    groups[g] = (groups[g] & mask) | (rng.int(0x10000) & ~mask & 0xffff);
  }
  return formatIpv6(groups);
}

export function randomIpv4(rng: Prng, country: CountryCode): string {
  return randomIpv4In(rng, rng.pick(COUNTRY_NETWORKS[country].ipv4));
}

/** Falls back to IPv4 for countries whose ISPs we list no IPv6 prefix for. */
export function randomIpv6(rng: Prng, country: CountryCode): string {
  const v6 = COUNTRY_NETWORKS[country].ipv6;
  return v6.length === 0 ? randomIpv4(rng, country) : randomIpv6In(rng, rng.pick(v6));
}
