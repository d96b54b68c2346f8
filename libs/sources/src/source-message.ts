import type { NormalizedEvent, TimeSource } from '#domain';
import type { RejectionReason } from './rejection-reasons.js';

/** Formats this library reads (docs/formats.md). */
export const SOURCE_FORMATS = ['canonical', 'cloudevents', 'aws-cloudtrail', 'ocsf', 'okta', 'linux-auth'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** Kafka header (and HTTP `format` parameter) that declares a message's format instead of detection. */
export const LEDGER_FORMAT_HEADER = 'ledger-format';

export interface SourceMessage {
  /** The message bytes (UTF-8) or text, exactly as received. */
  body: Uint8Array | string;
  /** Kafka or HTTP headers; names are matched case-insensitively. */
  headers?: Record<string, string | undefined>;
  /** A declared format wins over detection and over the `ledger-format` header. */
  declaredFormat?: string;
  /**
   * The time the transport gave the message: over Kafka, the record's timestamp. It becomes
   * the event time only of a CloudTrail, Okta or OCSF record that has no time of its own,
   * and the event then says so (`time_source`). HTTP and file ingestion have none.
   */
  transportTime?: TransportTime | null;
}

export interface TransportTime {
  /** What the time is; becomes the event's `time_source` when it is used. */
  source: TimeSource;
  /** Milliseconds since the epoch, as a number or as decimal text (kafkajs's `message.timestamp`). */
  epochMs: number | string;
}

export interface RejectedRecord {
  /**
   * Position of the record in the message (0-based, counting every record the message held,
   * accepted or not), or null when the message as a whole was rejected: then the DLQ should
   * carry the original message bytes.
   */
  index: number | null;
  /** Stable machine-readable reason (see REJECTION_REASONS). */
  reason: RejectionReason;
  /** Human-readable explanation, prefixed with the record's location (`line 3`, `Records[2]`). */
  message: string;
  /**
   * The record's original text; the whole message text when `index` is null ('' when the
   * message was too large to decode). Lossy (U+FFFD) only for `invalid_encoding`.
   */
  raw: string;
}

export interface NormalizeResult {
  /** The declared format, else the format detected for the message's first record; null if none. */
  format: SourceFormat | null;
  events: NormalizedEvent[];
  rejected: RejectedRecord[];
}

export interface NormalizeOptions {
  /** "Now" for the event time plausibility check (no more than a day ahead); defaults to the clock. */
  now?: Date | number | (() => Date | number);
  /** Larger messages are rejected whole with `message_too_large`. Default 64 MiB. */
  maxMessageBytes?: number;
  /**
   * Offset from UTC, in minutes, of the hosts whose RFC 3164 syslog lines carry local time
   * without a zone. Default 0: such lines are read as UTC.
   */
  syslogUtcOffsetMinutes?: number;
}
