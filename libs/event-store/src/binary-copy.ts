import { isIPv4, isIPv6 } from 'node:net';

/**
 * Rows in PostgreSQL's binary COPY format, for the append path's bulk inserts.
 *
 * Why not `INSERT ... SELECT FROM unnest($1::text[], ...)`: every value then travels as text
 * inside an array literal, which node-postgres escapes character by character and Postgres
 * parses back, and the ledger's documents are kilobytes of JSON full of quotes and
 * backslashes. In the binary format a value is its length and its bytes: the canonical
 * document goes out as the very buffer its leaf hash was computed over.
 *
 * Format (PostgreSQL docs, "COPY", "Binary Format"): an 11-byte signature, a flags word and a
 * header-extension length, then per row a 16-bit field count and per field a 32-bit length
 * (-1 for NULL) and the value in the type's binary send format, then a 16-bit -1 trailer.
 */
export class BinaryCopyWriter {
  private readonly chunks: Buffer[] = [];
  private current: Buffer;
  private offset = 0;

  constructor(private readonly chunkSize = 256 * 1024) {
    this.current = Buffer.allocUnsafe(chunkSize);
    this.writeBytes(SIGNATURE);
    this.int32(0); // flags: no OIDs
    this.int32(0); // no header extension
  }

  startRow(fieldCount: number): this {
    this.reserve(2);
    this.offset = this.current.writeInt16BE(fieldCount, this.offset);
    return this;
  }

  null(): this {
    return this.int32(-1);
  }

  /** int8 */
  bigint(value: number | string | bigint | null): this {
    if (value === null) return this.null();
    this.int32(8);
    this.reserve(8);
    this.offset = this.current.writeBigInt64BE(BigInt(value), this.offset);
    return this;
  }

  /** int4 */
  integer(value: number | null): this {
    if (value === null) return this.null();
    this.int32(4);
    return this.int32(value);
  }

  boolean(value: boolean | null): this {
    if (value === null) return this.null();
    this.int32(1);
    this.reserve(1);
    this.current[this.offset++] = value ? 1 : 0;
    return this;
  }

  /** text, in the database's encoding (UTF-8 here: the ledger's databases are created UTF8). */
  text(value: string | null): this {
    if (value === null) return this.null();
    const length = Buffer.byteLength(value, 'utf8');
    this.int32(length);
    this.reserve(length);
    this.offset += this.current.write(value, this.offset, length, 'utf8');
    return this;
  }

  /** text whose UTF-8 bytes the caller already has (a document whose hash was taken over them). */
  utf8(bytes: Buffer): this {
    return this.bytea(bytes);
  }

  bytea(value: Uint8Array | null): this {
    if (value === null) return this.null();
    this.int32(value.length);
    return this.writeBytes(value);
  }

  /**
   * timestamptz from an ISO-8601 instant: microseconds since 2000-01-01T00:00:00Z. The
   * ledger's times carry milliseconds, so nothing finer is lost.
   */
  timestamp(iso: string | null): this {
    if (iso === null) return this.null();
    const millis = Date.parse(iso);
    if (Number.isNaN(millis)) throw new RangeError(`not an ISO-8601 instant: ${JSON.stringify(iso)}`);
    return this.bigint(BigInt(millis - POSTGRES_EPOCH_MILLIS) * 1000n);
  }

  /**
   * inet: family (2 = IPv4, 3 = IPv6 in Postgres's own numbering), prefix bits, is-cidr flag,
   * address length, address bytes. An address Postgres would not accept (e.g. one with an
   * IPv6 zone) is written as NULL: the column is an index, the document keeps the text.
   */
  inet(address: string | null): this {
    const bytes = address === null ? null : inetBytes(address);
    if (bytes === null) return this.null();
    const v4 = bytes.length === 4;
    this.int32(4 + bytes.length);
    this.reserve(4);
    this.current[this.offset++] = v4 ? 2 : 3;
    this.current[this.offset++] = v4 ? 32 : 128;
    this.current[this.offset++] = 0;
    this.current[this.offset++] = bytes.length;
    return this.writeBytes(bytes);
  }

  /** The complete COPY data: header, rows, trailer. The writer must not be used afterwards. */
  finish(): Buffer[] {
    this.reserve(2);
    this.offset = this.current.writeInt16BE(-1, this.offset);
    this.chunks.push(this.current.subarray(0, this.offset));
    return this.chunks;
  }

  private int32(value: number): this {
    this.reserve(4);
    this.offset = this.current.writeInt32BE(value, this.offset);
    return this;
  }

  private writeBytes(bytes: Uint8Array): this {
    if (bytes.length > this.chunkSize / 4) {
      // Large values (documents) go out as they are rather than being copied again.
      this.flush();
      this.chunks.push(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      return this;
    }
    this.reserve(bytes.length);
    this.current.set(bytes, this.offset);
    this.offset += bytes.length;
    return this;
  }

  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.current.length) return;
    this.flush();
    if (bytes > this.current.length) this.current = Buffer.allocUnsafe(bytes);
  }

  private flush(): void {
    if (this.offset > 0) this.chunks.push(this.current.subarray(0, this.offset));
    this.current = Buffer.allocUnsafe(this.chunkSize);
    this.offset = 0;
  }
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const POSTGRES_EPOCH_MILLIS = Date.UTC(2000, 0, 1);

/** The address bytes of an IPv4 or IPv6 literal, or null if Postgres's inet would refuse it. */
export function inetBytes(address: string): Buffer | null {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  if (!isIPv6(address) || address.includes('%')) return null;
  let text = address;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) is the last two 16-bit groups.
    const [a, b, c, d] = text.slice(lastColon + 1).split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? (text.split('::') as [string, string]) : [text, null];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const front = parse(head);
  const back = rest === null ? [] : parse(rest);
  if (rest !== null && front.length + back.length > 7) return null;
  const groups = rest === null ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  if (groups.length !== 8) return null;
  const bytes = Buffer.alloc(16);
  groups.forEach((group, i) => bytes.writeUInt16BE(group, i * 2));
  return bytes;
}
