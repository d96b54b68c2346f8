import { canonicalJson, leafHash, sha256 } from '#integrity';
import type { LedgerEvent } from '#domain';

/**
 * An event ready to append: its canonical document (the exact bytes that enter the Merkle
 * log), the leaf hash of those bytes, and the content hash of the source record that keys
 * idempotency. Computed outside the append transaction, so the serialized part of an
 * append is only the database work.
 */
export interface PreparedEvent {
  event: LedgerEvent;
  document: string;
  /** The UTF-8 bytes of `document`: what the leaf hash covers and what is stored. */
  documentBytes: Buffer;
  leafHash: Buffer;
  /** Identifies the source record's content, independent of how it was wrapped or spaced. */
  contentHash: Buffer;
  /** First day of the event-time month: the partition the row goes to. */
  partitionMonth: string;
}

/**
 * `contentHash` may be passed when it is already known (the same source record prepared
 * again with a new document, e.g. once attribution resolved its subject).
 */
export function prepareEvent(event: LedgerEvent, contentHash?: Buffer): PreparedEvent {
  const document = canonicalJson(event);
  const documentBytes = Buffer.from(document, 'utf8');
  return {
    event,
    document,
    documentBytes,
    leafHash: leafHash(documentBytes),
    contentHash: contentHash ?? recordContentHash(event.raw),
    partitionMonth: `${event.time.slice(0, 7)}-01`,
  };
}

/**
 * The same record delivered twice must be recognised even when one copy came pretty-printed
 * in a delivery file and the other compact in an EventBridge envelope (DESIGN 5.7), so JSON
 * records are hashed in canonical form with the envelope removed. Non-JSON records (syslog
 * lines) are hashed as they are.
 */
export function recordContentHash(raw: string): Buffer {
  const first = raw.charCodeAt(0);
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return sha256(Buffer.from(canonicalJson(unwrapEnvelope(parsed)), 'utf8'));
    } catch {
      // not JSON after all: hash the text
    }
  }
  return sha256(Buffer.from(raw, 'utf8'));
}

function unwrapEnvelope(record: unknown): unknown {
  if (record && typeof record === 'object' && !Array.isArray(record)) {
    const object = record as Record<string, unknown>;
    // EventBridge wraps a CloudTrail record in `detail`; CloudEvents wraps an event in `data`.
    if ('detail-type' in object && object.detail && typeof object.detail === 'object') return object.detail;
    if ('specversion' in object && object.data && typeof object.data === 'object') return object.data;
  }
  return record;
}
