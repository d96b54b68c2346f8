import { describe, expect, it } from 'vitest';
import { COUNTRY_NETWORKS, HOSTING_NETWORKS, ATTACK_NETWORKS, VACATION_NETWORKS, Prng } from '#workload';
import { AsnTable } from './asn-table.js';
import { minimumDistanceKm } from './country-locations.js';
import { CachedGeoLookup, StaticGeoLookup } from './geo-lookup.js';
import { isPublicIp } from './ip-address.js';
import { IpLocationDbGeo } from './ip-location-db.js';
import { isHostingNetwork } from './network-kind.js';

describe('isPublicIp: the private-range policy', () => {
  it.each(['10.0.0.1', '172.16.5.4', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '240.0.0.1', '255.255.255.255', '198.18.0.1', '192.0.0.8'])('%s is not public', (ip) => {
    expect(isPublicIp(ip)).toBe(false);
  });
  it.each(['::1', '::', 'fe80::1', 'fd00::1', 'fc12::1', 'ff02::1', '2002:c000:0204::1', '2001:0:4136::1', '64:ff9b::808:808', 'not-an-ip', '10.0.010.1'])('%s is not public', (ip) => {
    expect(isPublicIp(ip)).toBe(false);
  });
  it.each(['8.8.8.8', '1.1.1.1', '79.192.3.4', '2003::1', '2a00:1450:4001::1', '100.128.0.1', '172.32.0.1'])('%s is public', (ip) => {
    expect(isPublicIp(ip)).toBe(true);
  });
  it('documentation ranges are not public unless the policy says so', () => {
    for (const ip of ['192.0.2.1', '198.51.100.1', '203.0.113.1', '2001:db8::1', '3fff::1']) {
      expect(isPublicIp(ip)).toBe(false);
      expect(isPublicIp(ip, { documentationRangesArePublic: true })).toBe(true);
    }
  });
});

describe('StaticGeoLookup', () => {
  it('answers from the longest matching prefix and never for non-public addresses', () => {
    const geo = new StaticGeoLookup([
      { cidr: '81.0.0.0/8', country: 'GB', asn: 1 },
      { cidr: '81.2.0.0/16', country: 'FR', asn: 2 },
      { cidr: '2a02::/16', country: 'DE', asn: 3 },
    ]);
    expect(geo.lookup('81.2.3.4')?.country).toBe('FR');
    expect(geo.lookup('81.3.3.4')?.country).toBe('GB');
    expect(geo.lookup('2a02:1:2::9')?.asn).toBe(3);
    expect(geo.lookup('10.0.0.1')).toBeNull();
    expect(new CachedGeoLookup(geo).lookup('81.2.3.4')?.asn).toBe(2);
  });
});

describe('AsnTable', () => {
  it('binary-searches IPv4 and IPv6 ranges and keeps quoted names', () => {
    const table = AsnTable.fromText(
      '16777216,16777471,13335,"Cloudflare, Inc."\n16778240,16779263,38803,Gtelecom Pty Ltd\n',
      '42540488161975842760550356425300246528,42540488241204005274814694018844196863,6939,Hurricane Electric LLC\n',
    );
    expect(table.lookupV4(16777216 + 5)).toEqual({ asn: 13335, asOrg: 'Cloudflare, Inc.' });
    expect(table.lookupV4(16777471 + 1)).toBeNull();
    expect(table.lookupV6(0x2001000000000000n, 1n)).toEqual({ asn: 6939, asOrg: 'Hurricane Electric LLC' });
    expect(table.size).toEqual({ ipv4: 2, ipv6: 1, organisations: 3 });
  });
});

describe('IpLocationDbGeo (the installed npm databases)', () => {
  const geo = new IpLocationDbGeo();

  it('knows well-known public addresses', () => {
    expect(geo.lookup('8.8.8.8')).toMatchObject({ country: 'US', asn: 15169 });
    expect(geo.lookup('1.1.1.1')).toMatchObject({ asn: 13335 });
    expect(geo.lookup('2001:4860:4860::8888')).toMatchObject({ asn: 15169 });
    expect(geo.lookup('79.192.0.10')).toMatchObject({ country: 'DE', asn: 3320 });
    expect(geo.lookup('88.198.1.1')?.asOrg).toMatch(/Hetzner/);
    expect(isHostingNetwork(geo.lookup('88.198.1.1')?.asOrg)).toBe(true);
    expect(isHostingNetwork(geo.lookup('79.192.0.10')?.asOrg)).toBe(false);
  }, 60_000);

  it('says nothing for private, service or malformed sources', () => {
    for (const ip of ['10.1.1.1', '192.168.0.1', '::1', 'fd00::1', 'AWS Internal', '253.201.144.253']) expect(geo.lookup(ip)).toBeNull();
  });

  it("places the workload generator's networks in their countries (the evaluation depends on it)", () => {
    const rng = new Prng('geo-check');
    const sample = (cidr: string): string[] => {
      const [base, bits] = cidr.split('/');
      const start = base.split('.').reduce((a, o) => a * 256 + Number(o), 0);
      const size = 2 ** (32 - Number(bits));
      return Array.from({ length: 40 }, () => {
        const x = start + 1 + rng.int(size - 2);
        return [x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255].join('.');
      });
    };
    const expectCountry = (country: string, cidrs: readonly string[]) => {
      for (const cidr of cidrs) for (const ip of sample(cidr)) expect(`${ip} ${geo.lookup(ip)?.country}`).toBe(`${ip} ${country}`);
    };
    for (const [country, nets] of Object.entries(COUNTRY_NETWORKS)) expectCountry(country, nets.ipv4);
    for (const [country, nets] of Object.entries(ATTACK_NETWORKS)) expectCountry(country, nets);
    for (const [country, nets] of Object.entries(HOSTING_NETWORKS)) expectCountry(country, nets ?? []);
    for (const [country, nets] of Object.entries(VACATION_NETWORKS)) expectCountry(country, nets.ipv4);
    for (const [country, nets] of Object.entries(COUNTRY_NETWORKS)) {
      for (const cidr of nets.ipv6) expect(`${cidr} ${geo.lookup(cidr.replace(/::\/\d+$/, '::1').replace(/\/\d+$/, ''))?.country}`).toBe(`${cidr} ${country}`);
    }
  });
});

describe('country distances', () => {
  it('are lower bounds: neighbours can be zero apart, continents cannot', () => {
    expect(minimumDistanceKm('DE', 'DE')).toBe(0);
    expect(minimumDistanceKm('DE', 'AT')).toBe(0);
    expect(minimumDistanceKm('DE', 'BR')!).toBeGreaterThan(6000);
    expect(minimumDistanceKm('DE', 'XX')).toBeNull();
  });
});
