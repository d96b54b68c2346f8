import { isIP } from 'node:net';

/**
 * Where a request came from (DESIGN 5, trap 2). Sources put IPv4, IPv6 in any textual form,
 * IPv4-mapped IPv6, or a service name (`AWS Internal`, `ec2.amazonaws.com`) in the same field.
 * Only a real IP becomes `ip`: service sources must never feed geo, new-IP or
 * impossible-travel logic, so anything that is not strictly an IP is never reported as one.
 */
export interface SourceAddress {
  /** Canonical IP: dotted-quad IPv4, or RFC 5952 IPv6; IPv4-mapped IPv6 folded to IPv4. */
  ip: string | null;
  /** The caller is a provider service, named as the source names it. */
  service: string | null;
  /**
   * Text that has the shape of an address but is not a valid one (e.g. `10.0.010.1`: leading
   * zeros are octal to some parsers and decimal to others). Kept verbatim for investigators,
   * but trusted as neither an IP nor a service.
   */
  host: string | null;
}

const NONE: SourceAddress = Object.freeze({ ip: null, service: null, host: null }) as SourceAddress;

// digits and dots only, or anything with a colon (host names and service names have none):
// an attempt at an address, not a name
const ADDRESS_LIKE = /^(?:[0-9.]+|\S*:\S*)$/;

/**
 * Classifies a source address field. Surrounding whitespace and `[...]` brackets around IPv6
 * are tolerated; ports, CIDR suffixes and other decorations are not (strictness: a value we
 * are unsure about must not become an IP).
 */
export function classifySourceAddress(value: unknown): SourceAddress {
  if (typeof value !== 'string') return NONE;
  let text = value.trim();
  if (text === '') return NONE;
  if (text.length > 2 && text.charCodeAt(0) === 0x5b && text.charCodeAt(text.length - 1) === 0x5d) {
    const inner = text.slice(1, -1);
    if (isIP(inner) === 6) text = inner;
  }
  const ip = canonicalIp(text);
  if (ip !== null) return { ip, service: null, host: null };
  if (ADDRESS_LIKE.test(text)) return { ip: null, service: null, host: text };
  return { ip: null, service: text, host: null };
}

/** The canonical form of an IP address, or null when `text` is not exactly one. */
export function canonicalIp(text: string): string | null {
  const version = isIP(text);
  // node:net accepts only plain dotted-quad IPv4 (no leading zeros, no shorthand), which is already canonical
  if (version === 4) return text;
  if (version === 6) return canonicalIpv6(text);
  return null;
}

/**
 * RFC 5952 text for an address that `isIP` accepted as IPv6: lower-case hex without leading
 * zeros, the longest run (first on ties) of two or more zero groups as `::`. IPv4-mapped
 * addresses (`::ffff:a.b.c.d`) fold to IPv4 because they are IPv4 peers. A zone id is kept.
 */
function canonicalIpv6(text: string): string | null {
  const percent = text.indexOf('%');
  const zone = percent >= 0 ? text.slice(percent) : '';
  const address = (percent >= 0 ? text.slice(0, percent) : text).toLowerCase();
  const groups = ipv6Groups(address);
  if (groups === null) return null;
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `${groups[6] >> 8}.${groups[6] & 0xff}.${groups[7] >> 8}.${groups[7] & 0xff}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':') + zone;
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}${zone}`;
}

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 gives the last two). */
function ipv6Groups(address: string): number[] | null {
  let text = address;
  const embedded: number[] = [];
  if (text.includes('.')) {
    const lastColon = text.lastIndexOf(':');
    const v4 = text.slice(lastColon + 1);
    if (isIP(v4) !== 4) return null;
    const octets = v4.split('.').map(Number);
    embedded.push((octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]);
    text = text.slice(0, lastColon + 1);
    // drop the colon that separated the IPv4 part, unless it belongs to "::"
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const doubleColon = text.indexOf('::');
  if (doubleColon < 0) {
    const groups = hexGroups(text);
    if (groups === null) return null;
    groups.push(...embedded);
    return groups.length === 8 ? groups : null;
  }
  const head = hexGroups(text.slice(0, doubleColon));
  const tail = hexGroups(text.slice(doubleColon + 2));
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length - embedded.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail, ...embedded];
}

function hexGroups(part: string): number[] | null {
  if (part === '') return [];
  const groups: number[] = [];
  for (const group of part.split(':')) {
    if (group === '' || group.length > 4) return null;
    const value = Number.parseInt(group, 16);
    if (Number.isNaN(value)) return null;
    groups.push(value);
  }
  return groups;
}
