import { Buffer } from 'node:buffer';
import type { NormalizedEvent } from '#domain';
import { fitEventToLimits } from './event-limits.js';
import { readTransportTime } from './event-time.js';
import { arrayElementSpans } from './json-spans.js';
import { decodeBody, frameDecodedLines, frameText, type Framing, type TextUnit } from './message-framing.js';
import { NORMALIZERS, resolveFormatName } from './normalizer-registry.js';
import type { RejectionReason } from './rejection-reasons.js';
import type { NormalizeOptions, NormalizeResult, RejectedRecord, SourceFormat, SourceMessage } from './source-message.js';
import { LEDGER_FORMAT_HEADER, SOURCE_FORMATS } from './source-message.js';
import type { CloudEventHeaderAttributes, NormalizeContext, RecordSink, SourceNormalizer } from './source-normalizer.js';

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * Normalizes one message (a Kafka record or an HTTP body part) into canonical ledger events.
 * Never throws: every problem becomes a RejectedRecord with a stable reason, and a bad record
 * in a batch is rejected alone while the records around it still normalize.
 */
export function normalizeMessage(message: SourceMessage, options?: NormalizeOptions): NormalizeResult {
  return normalizeWith(NORMALIZERS, message, options);
}

/** normalizeMessage over a given normalizer list (tests use it to exercise extension points). */
export function normalizeWith(
  normalizers: readonly SourceNormalizer[],
  message: SourceMessage,
  options?: NormalizeOptions,
): NormalizeResult {
  const collector = new ResultCollector();
  try {
    run(normalizers, message, options ?? {}, collector);
  } catch (error) {
    collector.rejectMessage('internal_error', `normalization failed unexpectedly: ${errorText(error)}`, '');
  }
  return collector.result();
}

function run(normalizers: readonly SourceNormalizer[], message: SourceMessage, options: NormalizeOptions, collector: ResultCollector): void {
  const body: unknown = message?.body;
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    collector.rejectMessage('invalid_record', 'the message body must be bytes or text', '');
    return;
  }
  const limit = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const size = byteLengthBeyond(body, limit);
  if (size > limit) {
    // raw stays empty: the caller still holds the original bytes, and decoding them is the cost being refused
    collector.rejectMessage('message_too_large', `the message has ${size} bytes, more than the limit of ${limit}`, '');
    return;
  }

  const decoded = decodeBody(body);
  const headers = lowerCaseHeaders(message.headers);
  const declaredName = nonBlank(message.declaredFormat) ?? nonBlank(headers.get(LEDGER_FORMAT_HEADER));
  let declared: SourceNormalizer | null = null;
  if (declaredName !== null) {
    const format = resolveFormatName(declaredName);
    declared = format === null ? null : (normalizers.find((n) => n.format === format) ?? null);
    if (declared === null) {
      collector.rejectMessage(
        'unknown_format',
        `declared format ${JSON.stringify(declaredName)} is not one of ${SOURCE_FORMATS.join(', ')}`,
        decoded.text,
      );
      return;
    }
    collector.format = declared.format;
  }

  const now = resolveNow(options.now);
  const transport = message.transportTime;
  const baseContext: NormalizeContext = {
    now,
    syslogUtcOffsetMinutes: resolveOffset(options.syslogUtcOffsetMinutes),
    binaryCloudEvent: null,
    transportTime: transport ? readTransportTime(transport.source, transport.epochMs, { now }) : null,
  };
  const acceptsTextLine = (line: string): boolean =>
    declared ? declared.normalizeText !== undefined : normalizers.some((n) => n.detectsText?.(line, baseContext) ?? false);

  let framing: Framing;
  if (decoded.ok) {
    if (isBlank(decoded.text)) {
      collector.rejectMessage('empty_message', 'the message is empty', decoded.text);
      return;
    }
    framing = frameText(decoded.text, acceptsTextLine);
  } else {
    const lines = frameDecodedLines(decoded.lines, acceptsTextLine);
    if (lines === null) {
      collector.rejectMessage('invalid_encoding', 'the message is not valid UTF-8', decoded.text);
      return;
    }
    framing = lines;
  }

  // binary content mode: the headers describe exactly one event, the body
  const binary = framing.mode === 'single' && (declared === null || declared.format === 'cloudevents') ? cloudEventHeaders(headers) : null;
  const context: NormalizeContext = binary ? { ...baseContext, binaryCloudEvent: binary } : baseContext;
  const dispatcher = new Dispatcher(normalizers, declared, context, collector);
  if (framing.mode === 'single') dispatcher.unit(framing.unit, true);
  else for (const unit of framing.units) dispatcher.unit(unit, false);
}

class Dispatcher {
  constructor(
    private readonly normalizers: readonly SourceNormalizer[],
    private readonly declared: SourceNormalizer | null,
    private readonly context: NormalizeContext,
    private readonly collector: ResultCollector,
  ) {}

  unit(unit: TextUnit, whole: boolean): void {
    const sink = this.collector.sink(whole ? '' : `line ${unit.line}`);
    if (unit.badEncoding) {
      sink.reject('invalid_encoding', 'the line is not valid UTF-8', unit.text);
      return;
    }
    if (!unit.parsed) {
      const text = this.textNormalizer(unit.text);
      if (text?.normalizeText) {
        this.collector.format ??= text.format;
        this.guarded(sink, unit.text, () => text.normalizeText!(unit.text, this.context, sink));
      } else if (whole) {
        this.collector.rejectMessage('invalid_json', `the message is not valid JSON: ${unit.error}`, unit.text);
      } else {
        sink.reject('invalid_json', `not valid JSON: ${unit.error}`, unit.text);
      }
      return;
    }
    if (Array.isArray(unit.value)) {
      this.array(unit.value, unit.text, sink, whole);
      return;
    }
    this.value(unit.value, unit.text, sink, whole);
  }

  /** A top-level JSON array is a batch: each element is a record whose raw is its exact source text. */
  private array(values: unknown[], text: string, sink: RecordSink, whole: boolean): void {
    if (values.length === 0) {
      if (whole) this.collector.rejectMessage('empty_message', 'the message is an empty array', text);
      else sink.reject('empty_message', 'the line is an empty array', text);
      return;
    }
    const spans = arrayElementSpans(text, 0);
    if (spans === null || spans.length !== values.length) {
      sink.reject('internal_error', 'could not delimit the elements of the array', text);
      return;
    }
    for (let i = 0; i < values.length; i++) {
      this.value(values[i], text.slice(spans[i].start, spans[i].end), sink.at(`[${i}]`), false);
    }
  }

  private value(value: unknown, raw: string, sink: RecordSink, whole: boolean): void {
    const normalizer = this.declared ?? this.normalizers.find((n) => n.detects(value, this.context)) ?? null;
    if (normalizer === null) {
      const message = `the ${whole ? 'message' : 'record'} is not in any known format (${SOURCE_FORMATS.join(', ')})`;
      if (whole) this.collector.rejectMessage('unknown_format', message, raw);
      else sink.reject('unknown_format', message, raw);
      return;
    }
    this.collector.format ??= normalizer.format;
    this.guarded(sink, raw, () => normalizer.normalize(value, raw, this.context, sink));
  }

  private textNormalizer(line: string): SourceNormalizer | null {
    if (this.declared) return this.declared.normalizeText ? this.declared : null;
    return this.normalizers.find((n) => n.detectsText?.(line, this.context) ?? false) ?? null;
  }

  private guarded(sink: RecordSink, raw: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      sink.reject('internal_error', `normalization failed unexpectedly: ${errorText(error)}`, raw);
    }
  }
}

class ResultCollector {
  format: SourceFormat | null = null;
  readonly events: NormalizedEvent[] = [];
  readonly rejected: RejectedRecord[] = [];
  ordinal = 0;

  rejectMessage(reason: RejectionReason, message: string, raw: string): void {
    this.rejected.push({ index: null, reason, message, raw });
  }

  sink(location: string): RecordSink {
    return new LocatedSink(this, location);
  }

  result(): NormalizeResult {
    return { format: this.format, events: this.events, rejected: this.rejected };
  }
}

class LocatedSink implements RecordSink {
  constructor(
    private readonly collector: ResultCollector,
    private readonly location: string,
  ) {}

  accept(event: NormalizedEvent): void {
    this.collector.ordinal++;
    this.collector.events.push(fitEventToLimits(event));
  }

  reject(reason: RejectionReason, message: string, raw: string): void {
    this.collector.rejected.push({
      index: this.collector.ordinal++,
      reason,
      message: this.location ? `${this.location}: ${message}` : message,
      raw,
    });
  }

  at(location: string): RecordSink {
    return new LocatedSink(this.collector, this.location ? `${this.location}, ${location}` : location);
  }
}

function cloudEventHeaders(headers: ReadonlyMap<string, string>): CloudEventHeaderAttributes | null {
  // Kafka protocol binding uses `ce_`, HTTP uses `ce-`
  const get = (name: string): string | null => nonBlank(headers.get(`ce_${name}`) ?? headers.get(`ce-${name}`));
  const specversion = get('specversion');
  if (specversion === null) return null;
  return {
    specversion,
    id: get('id'),
    source: get('source'),
    type: get('type'),
    time: get('time'),
    datacontenttype: nonBlank(headers.get('content-type')) ?? get('datacontenttype'),
  };
}

const NO_HEADERS: ReadonlyMap<string, string> = new Map();

function lowerCaseHeaders(headers: SourceMessage['headers']): ReadonlyMap<string, string> {
  if (headers === undefined || headers === null || typeof headers !== 'object') return NO_HEADERS;
  const map = new Map<string, string>();
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (typeof value === 'string') map.set(name.toLowerCase(), value);
  }
  return map;
}

function resolveOffset(minutes: number | undefined): number {
  // a real zone offset is within ±14 h; anything else is a configuration slip, read as UTC
  return typeof minutes === 'number' && Number.isInteger(minutes) && Math.abs(minutes) <= 14 * 60 ? minutes : 0;
}

function resolveNow(now: NormalizeOptions['now']): number {
  const value = typeof now === 'function' ? now() : now;
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' && Number.isFinite(value) ? value : Date.now();
}

/** The body's UTF-8 size; for text far below the limit, any number not above it (counting costs a pass). */
function byteLengthBeyond(body: Uint8Array | string, limit: number): number {
  if (typeof body !== 'string') return body.byteLength;
  // UTF-8 needs at most 3 bytes per UTF-16 unit
  return body.length * 3 <= limit ? 0 : Buffer.byteLength(body, 'utf8');
}

function nonBlank(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function isBlank(text: string): boolean {
  return /^[\s\uFEFF]*$/.test(text);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
