import { describe, expect, it } from 'vitest';
import { BinaryCopyWriter, inetBytes } from './binary-copy.js';

const hex = (address: string) => inetBytes(address)?.toString('hex') ?? null;

describe('inetBytes', () => {
  it('encodes IPv4 as four bytes', () => {
    expect(hex('192.0.2.10')).toBe('c000020a');
  });

  it('expands IPv6 shorthand to sixteen bytes', () => {
    expect(hex('2001:db8::1')).toBe('20010db8000000000000000000000001');
    expect(hex('::')).toBe('00000000000000000000000000000000');
    expect(hex('fe80::')).toBe('fe800000000000000000000000000000');
    expect(hex('1:2:3:4:5:6:7:8')).toBe('00010002000300040005000600070008');
  });

  it('reads an embedded IPv4 tail as the last two groups', () => {
    expect(hex('::ffff:192.0.2.1')).toBe('00000000000000000000ffffc0000201');
    expect(hex('64:ff9b::203.0.113.5')).toBe('0064ff9b0000000000000000cb007105');
  });

  it('refuses what Postgres inet would refuse', () => {
    expect(hex('fe80::1%eth0')).toBeNull();
    expect(hex('AWS Internal')).toBeNull();
    expect(hex('999.1.1.1')).toBeNull();
    expect(hex('')).toBeNull();
  });
});

describe('BinaryCopyWriter', () => {
  it('frames rows with the signature, field lengths, NULLs and the trailer', () => {
    const data = Buffer.concat(new BinaryCopyWriter().startRow(3).integer(7).null().text('é').finish());
    expect(data.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    const body = data.subarray(19);
    expect(body.readInt16BE(0)).toBe(3);
    expect(body.readInt32BE(2)).toBe(4);
    expect(body.readInt32BE(6)).toBe(7);
    expect(body.readInt32BE(10)).toBe(-1);
    expect(body.readInt32BE(14)).toBe(2);
    expect(body.subarray(18, 20).toString('utf8')).toBe('é');
    expect(body.readInt16BE(20)).toBe(-1);
    expect(body.length).toBe(22);
  });

  it('writes timestamps as microseconds since 2000-01-01 UTC', () => {
    const data = Buffer.concat(new BinaryCopyWriter().startRow(1).timestamp('2000-01-01T00:00:01.500Z').finish());
    expect(data.readBigInt64BE(19 + 2 + 4)).toBe(1_500_000n);
  });

  it('keeps values larger than its chunk intact across chunks', () => {
    const big = Buffer.alloc(10_000, 0x61);
    const data = Buffer.concat(new BinaryCopyWriter(1024).startRow(2).bytea(big).text('x'.repeat(3000)).finish());
    expect(data.readInt32BE(19 + 2)).toBe(10_000);
    expect(data.subarray(19 + 6, 19 + 6 + 10_000).equals(big)).toBe(true);
    expect(data.readInt32BE(19 + 6 + 10_000)).toBe(3000);
    expect(data.length).toBe(19 + 2 + 4 + 10_000 + 4 + 3000 + 2);
  });
});
