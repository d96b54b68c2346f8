import { readFileSync } from 'node:fs';
import { splitU128 } from './ip-address.js';

/**
 * IP range → autonomous system, from the `@ip-location-db/asn` CSVs (`start,end,asn,org`
 * with numeric bounds). Held as sorted typed arrays and binary-searched: about 410k IPv4
 * and 100k IPv6 ranges take ~10 MB this way, against ~150 MB as objects. AS names repeat
 * (one organisation announces many ranges), so each distinct name is stored once.
 */
export interface AsnAnswer {
  asn: number;
  asOrg: string;
}

export class AsnTable {
  private constructor(
    private readonly v4Start: Uint32Array,
    private readonly v4End: Uint32Array,
    private readonly v4Entry: Uint32Array,
    private readonly v6StartHi: BigUint64Array,
    private readonly v6StartLo: BigUint64Array,
    private readonly v6EndHi: BigUint64Array,
    private readonly v6EndLo: BigUint64Array,
    private readonly v6Entry: Uint32Array,
    private readonly asns: Uint32Array,
    private readonly orgs: readonly string[],
  ) {}

  /** Reads the two numeric CSVs. Either may be null to leave that family empty. */
  static fromFiles(ipv4Csv: string | null, ipv6Csv: string | null): AsnTable {
    return AsnTable.fromText(ipv4Csv === null ? '' : readFileSync(ipv4Csv, 'latin1'), ipv6Csv === null ? '' : readFileSync(ipv6Csv, 'latin1'));
  }

  static fromText(ipv4Text: string, ipv6Text: string): AsnTable {
    const orgs: string[] = [];
    const asnOf: number[] = [];
    const index = new Map<string, number>();
    // consecutive rows mostly repeat the previous organisation: remember the last one
    let lastAsn = -1;
    let lastOrgRaw = '';
    let lastEntry = -1;
    const entryFor = (asn: number, orgRaw: string): number => {
      if (asn === lastAsn && orgRaw === lastOrgRaw) return lastEntry;
      const key = `${asn}|${orgRaw}`;
      let entry = index.get(key);
      if (entry === undefined) {
        entry = orgs.length;
        index.set(key, entry);
        orgs.push(unquote(orgRaw));
        asnOf.push(asn);
      }
      lastAsn = asn;
      lastOrgRaw = orgRaw;
      lastEntry = entry;
      return entry;
    };

    const v4Rows = countLines(ipv4Text);
    let v4Start = new Uint32Array(v4Rows);
    let v4End = new Uint32Array(v4Rows);
    let v4Entry = new Uint32Array(v4Rows);
    let n4 = 0;
    forEachRow(
      ipv4Text,
      (start, end, asn, org) => {
        v4Start[n4] = start as number;
        v4End[n4] = end as number;
        v4Entry[n4] = entryFor(asn, org);
        n4++;
      },
      true,
    );
    v4Start = v4Start.subarray(0, n4);
    v4End = v4End.subarray(0, n4);
    v4Entry = v4Entry.subarray(0, n4);

    const v6Rows = countLines(ipv6Text);
    const sHi = new BigUint64Array(v6Rows);
    const sLo = new BigUint64Array(v6Rows);
    const eHi = new BigUint64Array(v6Rows);
    const eLo = new BigUint64Array(v6Rows);
    const v6Entry = new Uint32Array(v6Rows);
    let n6 = 0;
    forEachRow(ipv6Text, (start, end, asn, org) => {
      const s = splitU128(BigInt(start as string));
      const e = splitU128(BigInt(end as string));
      sHi[n6] = s.hi;
      sLo[n6] = s.lo;
      eHi[n6] = e.hi;
      eLo[n6] = e.lo;
      v6Entry[n6] = entryFor(asn, org);
      n6++;
    });
    // the files are sorted by start, which the binary search relies on
    assertSorted(v4Start, 'IPv4');
    return new AsnTable(v4Start, v4End, v4Entry, sHi.subarray(0, n6), sLo.subarray(0, n6), eHi.subarray(0, n6), eLo.subarray(0, n6), v6Entry.subarray(0, n6), Uint32Array.from(asnOf), orgs);
  }

  get size(): { ipv4: number; ipv6: number; organisations: number } {
    return { ipv4: this.v4Start.length, ipv6: this.v6StartHi.length, organisations: this.orgs.length };
  }

  lookupV4(value: number): AsnAnswer | null {
    const starts = this.v4Start;
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] <= value) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || value > this.v4End[found]) return null;
    const entry = this.v4Entry[found];
    return { asn: this.asns[entry], asOrg: this.orgs[entry] };
  }

  lookupV6(hiPart: bigint, loPart: bigint): AsnAnswer | null {
    let lo = 0;
    let hi = this.v6StartHi.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const sh = this.v6StartHi[mid];
      if (sh < hiPart || (sh === hiPart && this.v6StartLo[mid] <= loPart)) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return null;
    const eh = this.v6EndHi[found];
    if (hiPart > eh || (hiPart === eh && loPart > this.v6EndLo[found])) return null;
    const entry = this.v6Entry[found];
    return { asn: this.asns[entry], asOrg: this.orgs[entry] };
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n + 1;
}

/**
 * `start,end,asn,org`; the org is passed raw (maybe quoted). Rows repeat the previous
 * organisation most of the time, so the org text is only cut out when it changes, and
 * numbers that fit a double are read digit by digit: half a million rows load in about a
 * second instead of several.
 */
function forEachRow(text: string, row: (start: string | number, end: string | number, asn: number, orgRaw: string) => void, numeric = false): void {
  let pos = 0;
  const n = text.length;
  let lastOrg = '';
  while (pos < n) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = n;
    const lineEnd = text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    const c1 = text.indexOf(',', pos);
    const c2 = c1 < 0 ? -1 : text.indexOf(',', c1 + 1);
    const c3 = c2 < 0 ? -1 : text.indexOf(',', c2 + 1);
    if (c3 > 0 && c3 < lineEnd) {
      const orgLength = lineEnd - c3 - 1;
      const org = orgLength === lastOrg.length && text.startsWith(lastOrg, c3 + 1) ? lastOrg : (lastOrg = text.slice(c3 + 1, lineEnd));
      const asn = digits(text, c2 + 1, c3);
      if (numeric) row(digits(text, pos, c1), digits(text, c1 + 1, c2), asn, org);
      else row(text.slice(pos, c1), text.slice(c1 + 1, c2), asn, org);
    }
    pos = eol + 1;
  }
}

function digits(text: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (text.charCodeAt(i) - 48);
  return v;
}

function unquote(org: string): string {
  return org.length >= 2 && org.startsWith('"') && org.endsWith('"') ? org.slice(1, -1).replace(/""/g, '"') : org;
}

function assertSorted(starts: Uint32Array, family: string): void {
  for (let i = 1; i < starts.length; i++) {
    if (starts[i] < starts[i - 1]) throw new Error(`the ${family} ASN table is not sorted by range start (row ${i})`);
  }
}
