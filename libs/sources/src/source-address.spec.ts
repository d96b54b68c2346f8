import fc from 'fast-check';
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { canonicalIp, classifySourceAddress } from './source-address.js';

describe('classifySourceAddress (trap 2)', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['[2001:db8::A]', '2001:db8::a'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:c000:0201', '192.0.2.1'],
    ['0:0:0:0:0:ffff:198.51.100.9', '198.51.100.9'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    [' 203.0.113.7 ', '203.0.113.7'],
  ])('reads %j as the IP %j', (input, ip) => {
    expect(classifySourceAddress(input)).toEqual({ ip, service: null, host: null });
  });

  it.each(['AWS Internal', 'ec2.amazonaws.com', 'support.amazonaws.com', 'cloudformation.amazonaws.com'])(
    'reads %j as a service, never an IP',
    (input) => {
      expect(classifySourceAddress(input)).toEqual({ ip: null, service: input, host: null });
    },
  );

  it.each(['10.0.010.1', '035.249.253.232', '1.2.3', '1.2.3.4.5', '2001:db8::g', '1:2:3:4:5:6:7:8:9'])(
    'keeps malformed address %j verbatim as host, trusted as neither IP nor service',
    (input) => {
      expect(classifySourceAddress(input)).toEqual({ ip: null, service: null, host: input });
    },
  );

  it.each([undefined, null, '', '   ', 42, { ip: '1.2.3.4' }])('gives nothing for %j', (input) => {
    expect(classifySourceAddress(input)).toEqual({ ip: null, service: null, host: null });
  });

  it('canonical IPv6 text is stable and still the same address', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const canonical = canonicalIp(address);
        expect(canonical).not.toBeNull();
        expect(isIP(canonical!)).toBeGreaterThan(0);
        expect(canonicalIp(canonical!)).toBe(canonical);
        expect(canonical).toBe(canonical!.toLowerCase());
        expect(canonical).not.toMatch(/(^|:)0[0-9a-f]/);
        // the WHATWG URL parser serializes the same 128 bits; mapped addresses are folded by us only
        if (!canonical!.includes('.')) expect(`[${canonical}]`).toBe(new URL(`http://[${address}]/`).hostname);
      }),
      { numRuns: 500 },
    );
  });
});
