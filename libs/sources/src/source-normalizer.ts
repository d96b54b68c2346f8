import type { NormalizedEvent } from '#domain';
import type { TransportTimeFact } from './event-time.js';
import type { RejectionReason } from './rejection-reasons.js';
import type { SourceFormat } from './source-message.js';

/** CloudEvents context attributes carried in headers (binary content mode). */
export interface CloudEventHeaderAttributes {
  specversion: string;
  id: string | null;
  source: string | null;
  type: string | null;
  time: string | null;
  datacontenttype: string | null;
}

export interface NormalizeContext {
  /** Reference time (epoch ms) for plausibility checks and for the year of RFC 3164 timestamps. */
  readonly now: number;
  /** UTC offset (minutes) of RFC 3164 syslog timestamps, which carry no zone. */
  readonly syslogUtcOffsetMinutes: number;
  /** Set when the message is one event whose CloudEvents attributes are in the headers. */
  readonly binaryCloudEvent: CloudEventHeaderAttributes | null;
  /** The transport's time for records without one of their own (see eventTimeOrTransport); null over HTTP and files. */
  readonly transportTime: TransportTimeFact | null;
}

/** Where a normalizer reports each record it found. */
export interface RecordSink {
  accept(event: NormalizedEvent): void;
  reject(reason: RejectionReason, message: string, raw: string): void;
  /** A sink that prefixes messages with a location, e.g. `Records[3]`. */
  at(location: string): RecordSink;
}

export type RecordOutcome =
  | { ok: true; event: NormalizedEvent }
  | { ok: false; reason: RejectionReason; message: string };

export function rejectedOutcome(reason: RejectionReason, message: string): RecordOutcome {
  return { ok: false, reason, message };
}

export function emit(outcome: RecordOutcome, raw: string, sink: RecordSink): void {
  if (outcome.ok) sink.accept(outcome.event);
  else sink.reject(outcome.reason, outcome.message, raw);
}

/**
 * One source format. Detection looks only at the shape of a parsed JSON value (a few property
 * checks, no validation) so that trying every normalizer stays cheap; `normalize` then owns
 * all validation and reports every record it finds, accepted or rejected, to the sink.
 *
 * Line-oriented text formats (syslog) implement the optional text members: they are offered
 * the lines that are not JSON.
 */
export interface SourceNormalizer {
  readonly format: SourceFormat;
  detects(value: unknown, context: NormalizeContext): boolean;
  normalize(value: unknown, raw: string, context: NormalizeContext, sink: RecordSink): void;
  detectsText?(line: string, context: NormalizeContext): boolean;
  normalizeText?(line: string, context: NormalizeContext, sink: RecordSink): void;
}
