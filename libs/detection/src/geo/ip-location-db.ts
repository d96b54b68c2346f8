import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Reader, type Response } from 'mmdb-lib';
import { AsnTable } from './asn-table.js';
import type { GeoInfo, GeoLookup } from './geo-lookup.js';
import { isPublicIpv4, isPublicIpv6, parseIp, type PublicIpPolicy } from './ip-address.js';

/**
 * The offline geo database: country from `@ip-location-db/geo-whois-asn-country-mmdb`
 * (read with mmdb-lib), autonomous system from `@ip-location-db/asn` (numeric CSVs in a
 * typed-array range table). Both are loaded once, on the first lookup, so that a process
 * that never sees a public address never pays for them. Nothing is fetched at run time.
 */
/** The database's record: `{ country_code }` only, which mmdb-lib's response union does not name. */
interface CountryRecord {
  country_code?: string;
}

export interface IpLocationDbOptions {
  policy?: PublicIpPolicy;
  /** Directory overrides, for tests or a vendored copy; default: the installed packages. */
  countryMmdbPath?: string;
  asnIpv4CsvPath?: string;
  asnIpv6CsvPath?: string;
}

export interface GeoLoadStats {
  countryLoadMs: number;
  asnLoadMs: number;
  asnRanges: { ipv4: number; ipv6: number; organisations: number };
}

export class IpLocationDbGeo implements GeoLookup {
  readonly policy: PublicIpPolicy;
  private country: Reader<Response> | null = null;
  private asn: AsnTable | null = null;
  private stats: GeoLoadStats | null = null;

  constructor(private readonly options: IpLocationDbOptions = {}) {
    this.policy = options.policy ?? {};
  }

  /** Forces the lazy load (for start-up in a service, or to measure it). */
  load(): GeoLoadStats {
    if (this.stats !== null) return this.stats;
    const paths = resolvePaths(this.options);
    const t0 = performance.now();
    this.country = new Reader<Response>(readFileSync(paths.mmdb));
    const t1 = performance.now();
    this.asn = AsnTable.fromFiles(paths.asnV4, paths.asnV6);
    const t2 = performance.now();
    this.stats = { countryLoadMs: t1 - t0, asnLoadMs: t2 - t1, asnRanges: this.asn.size };
    return this.stats;
  }

  lookup(ip: string): GeoInfo | null {
    const parsed = parseIp(ip);
    if (parsed === null) return null;
    if (parsed.version === 4 ? !isPublicIpv4(parsed.value, this.policy) : !isPublicIpv6(parsed.hi, parsed.lo, this.policy)) return null;
    if (this.stats === null) this.load();
    let countryCode: string | null = null;
    try {
      countryCode = (this.country!.get(ip) as CountryRecord | null)?.country_code ?? null;
    } catch {
      countryCode = null; // an address form mmdb-lib does not read (e.g. with a zone id)
    }
    const asn = parsed.version === 4 ? this.asn!.lookupV4(parsed.value) : this.asn!.lookupV6(parsed.hi, parsed.lo);
    if (countryCode === null && asn === null) return null;
    return { country: countryCode, asn: asn?.asn ?? null, asOrg: asn?.asOrg ?? null };
  }
}

function resolvePaths(o: IpLocationDbOptions): { mmdb: string; asnV4: string; asnV6: string } {
  const require = createRequire(import.meta.url);
  const countryDir = o.countryMmdbPath ? null : dirname(require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/package.json'));
  const asnDir = o.asnIpv4CsvPath && o.asnIpv6CsvPath ? null : dirname(require.resolve('@ip-location-db/asn/package.json'));
  return {
    mmdb: o.countryMmdbPath ?? join(countryDir!, 'geo-whois-asn-country.mmdb'),
    asnV4: o.asnIpv4CsvPath ?? join(asnDir!, 'asn-ipv4-num.csv'),
    asnV6: o.asnIpv6CsvPath ?? join(asnDir!, 'asn-ipv6-num.csv'),
  };
}
