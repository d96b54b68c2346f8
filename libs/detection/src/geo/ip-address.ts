/**
 * IP addresses as numbers, and which of them are public. Geo, network, new-IP and travel
 * logic only ever sees public addresses (DESIGN 5, trap 2): a private, loopback, shared
 * (CGNAT) or reserved address says nothing about where a person is, and a database answer
 * for it would be noise.
 */
export type ParsedIp = { version: 4; value: number } | { version: 6; hi: bigint; lo: bigint };

const U64 = (1n << 64n) - 1n;

export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    // strict dotted quad: no leading zeros (octal to some parsers), no empty parts
    if (part === '' || part.length > 3 || (part.length > 1 && part[0] === '0')) return null;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 48 || c > 57) return null;
    }
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** The 128-bit value as two 64-bit halves; an embedded dotted IPv4 tail is accepted. */
export function parseIpv6(text: string): { hi: bigint; lo: bigint } | null {
  const percent = text.indexOf('%');
  let address = (percent >= 0 ? text.slice(0, percent) : text).toLowerCase();
  const tail: number[] = [];
  if (address.includes('.')) {
    const colon = address.lastIndexOf(':');
    const v4 = parseIpv4(address.slice(colon + 1));
    if (v4 === null) return null;
    tail.push(Math.floor(v4 / 65536), v4 % 65536);
    address = address.slice(0, colon + 1);
    if (!address.endsWith('::')) address = address.slice(0, -1);
  }
  const double = address.indexOf('::');
  if (double !== address.lastIndexOf('::')) return null;
  let groups: number[];
  if (double < 0) {
    const all = hexGroups(address);
    if (all === null) return null;
    groups = [...all, ...tail];
    if (groups.length !== 8) return null;
  } else {
    const head = hexGroups(address.slice(0, double));
    const rest = hexGroups(address.slice(double + 2));
    if (head === null || rest === null) return null;
    const missing = 8 - head.length - rest.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...rest, ...tail];
  }
  let hi = 0n;
  let lo = 0n;
  for (let i = 0; i < 4; i++) hi = (hi << 16n) | BigInt(groups[i]);
  for (let i = 4; i < 8; i++) lo = (lo << 16n) | BigInt(groups[i]);
  return { hi, lo };
}

function hexGroups(part: string): number[] | null {
  if (part === '') return [];
  const out: number[] = [];
  for (const group of part.split(':')) {
    if (group === '' || group.length > 4 || !/^[0-9a-f]+$/.test(group)) return null;
    out.push(Number.parseInt(group, 16));
  }
  return out;
}

export function parseIp(text: string): ParsedIp | null {
  if (text.includes(':')) {
    const v6 = parseIpv6(text);
    if (v6 === null) return null;
    // IPv4-mapped addresses are IPv4 peers
    if (v6.hi === 0n && v6.lo >> 32n === 0xffffn) return { version: 4, value: Number(v6.lo & 0xffffffffn) };
    return { version: 6, hi: v6.hi, lo: v6.lo };
  }
  const v4 = parseIpv4(text);
  return v4 === null ? null : { version: 4, value: v4 };
}

/** Split a 128-bit decimal (as the ASN CSV writes IPv6 bounds) into halves. */
export function splitU128(value: bigint): { hi: bigint; lo: bigint } {
  return { hi: value >> 64n, lo: value & U64 };
}

/**
 * The private-range policy. Documentation ranges (192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24, 2001:db8::/32, 3fff::/20) are never seen on the Internet, so by default
 * they are not public; tests and examples that want to exercise geo logic on them turn
 * `documentationRangesArePublic` on and supply their own geo table.
 */
export interface PublicIpPolicy {
  documentationRangesArePublic?: boolean;
}

interface V4Range {
  base: number;
  size: number;
  documentation?: boolean;
}

const v4 = (cidr: string, documentation = false): V4Range => {
  const [address, length] = cidr.split('/');
  return { base: parseIpv4(address)!, size: 2 ** (32 - Number(length)), documentation };
};

/** IANA IPv4 special-purpose registry entries that are not globally reachable, plus multicast. */
const NON_PUBLIC_V4: readonly V4Range[] = [
  v4('0.0.0.0/8'), // "this network"
  v4('10.0.0.0/8'), // RFC 1918
  v4('100.64.0.0/10'), // shared address space (CGNAT), RFC 6598
  v4('127.0.0.0/8'), // loopback
  v4('169.254.0.0/16'), // link-local
  v4('172.16.0.0/12'), // RFC 1918
  v4('192.0.0.0/24'), // IETF protocol assignments
  v4('192.0.2.0/24', true), // TEST-NET-1
  v4('192.88.99.0/24'), // deprecated 6to4 relay anycast
  v4('192.168.0.0/16'), // RFC 1918
  v4('198.18.0.0/15'), // benchmarking
  v4('198.51.100.0/24', true), // TEST-NET-2
  v4('203.0.113.0/24', true), // TEST-NET-3
  v4('224.0.0.0/4'), // multicast
  v4('240.0.0.0/4'), // reserved, and the limited broadcast address
];

export function isPublicIpv4(value: number, policy: PublicIpPolicy = {}): boolean {
  for (const range of NON_PUBLIC_V4) {
    if (value >= range.base && value < range.base + range.size) return range.documentation === true && policy.documentationRangesArePublic === true;
  }
  return true;
}

export function isPublicIpv6(hi: bigint, lo: bigint, policy: PublicIpPolicy = {}): boolean {
  const top16 = Number(hi >> 48n);
  // only global unicast (2000::/3) is public; this excludes ::, ::1, ULA fc00::/7,
  // link-local fe80::/10, multicast ff00::/8, discard 100::/64, NAT64 64:ff9b::/96
  if (top16 < 0x2000 || top16 > 0x3fff) return false;
  const top32 = Number(hi >> 32n);
  if (top32 === 0x20010db8) return policy.documentationRangesArePublic === true; // documentation
  if (top16 === 0x3fff && Number(hi >> 44n) === 0x3fff0) return policy.documentationRangesArePublic === true; // 3fff::/20 documentation
  if (top16 === 0x2002) return false; // 6to4: the real peer is the embedded IPv4
  if (top16 === 0x2001 && Number((hi >> 41n) & 0x7fn) === 0) return false; // 2001::/23 IETF protocol assignments (Teredo, ORCHID...)
  void lo;
  return true;
}

/** Whether `ip` (canonical text, as `source.ip` holds it) is a public address under the policy. */
export function isPublicIp(ip: string | null | undefined, policy: PublicIpPolicy = {}): boolean {
  if (typeof ip !== 'string' || ip === '') return false;
  const parsed = parseIp(ip);
  if (parsed === null) return false;
  return parsed.version === 4 ? isPublicIpv4(parsed.value, policy) : isPublicIpv6(parsed.hi, parsed.lo, policy);
}
