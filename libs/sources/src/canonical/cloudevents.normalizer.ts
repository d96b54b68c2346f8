import { Buffer } from 'node:buffer';
import { describeType, isJsonObject, stringField, type JsonObject } from '../json-value.js';
import { emit, type CloudEventHeaderAttributes, type NormalizeContext, type RecordSink, type SourceNormalizer } from '../source-normalizer.js';
import { normalizeCanonicalEvent, type CanonicalDefaults } from './canonical-event.js';

/**
 * Canonical events in a CloudEvents 1.0 envelope: structured mode (the envelope is the
 * message, the event is its `data`) or binary mode (the `ce_*` / `ce-*` headers are the
 * envelope, the body is the event). The envelope's id, time and source fill in what the
 * event leaves out; `raw` is the message text as received.
 */
export const cloudEventsNormalizer: SourceNormalizer = {
  format: 'cloudevents',

  detects(value: unknown, context: NormalizeContext): boolean {
    return context.binaryCloudEvent !== null || (isJsonObject(value) && typeof value.specversion === 'string');
  },

  normalize(value: unknown, raw: string, context: NormalizeContext, sink: RecordSink): void {
    const binary = context.binaryCloudEvent;
    if (binary !== null) {
      const problem = envelopeProblem(binary.specversion, binary.id, binary.source, binary.type, binary.datacontenttype);
      if (problem !== null) {
        sink.reject('invalid_envelope', `CloudEvents headers: ${problem}`, raw);
        return;
      }
      emit(normalizeCanonicalEvent(value, raw, context, defaultsOf(binary)), raw, sink);
      return;
    }
    if (!isJsonObject(value) || typeof value.specversion !== 'string') {
      sink.reject('invalid_envelope', 'expected a CloudEvents envelope (a "specversion" member) or ce_* headers', raw);
      return;
    }
    const attributes = structuredAttributes(value);
    const problem = envelopeProblem(attributes.specversion, attributes.id, attributes.source, attributes.type, attributes.datacontenttype);
    if (problem !== null) {
      sink.reject('invalid_envelope', problem, raw);
      return;
    }
    const data = structuredData(value);
    if (typeof data === 'string') {
      sink.reject('invalid_envelope', data, raw);
      return;
    }
    emit(normalizeCanonicalEvent(data, raw, context, defaultsOf(attributes)), raw, sink);
  },
};

function structuredAttributes(envelope: JsonObject): CloudEventHeaderAttributes {
  return {
    specversion: envelope.specversion as string,
    id: stringField(envelope, 'id'),
    source: stringField(envelope, 'source'),
    type: stringField(envelope, 'type'),
    time: stringField(envelope, 'time'),
    datacontenttype: stringField(envelope, 'datacontenttype'),
  };
}

/** The event in `data`, or in `data_base64` (JSON bytes); a string says what is wrong. */
function structuredData(envelope: JsonObject): unknown {
  if (envelope.data !== undefined) {
    return isJsonObject(envelope.data) ? envelope.data : `"data" must be the canonical event object, got ${describeType(envelope.data)}`;
  }
  if (typeof envelope.data_base64 === 'string') {
    try {
      const decoded: unknown = JSON.parse(Buffer.from(envelope.data_base64, 'base64').toString('utf8'));
      return isJsonObject(decoded) ? decoded : `"data_base64" must hold a JSON object, got ${describeType(decoded)}`;
    } catch {
      return '"data_base64" is not base64-encoded JSON';
    }
  }
  return 'the envelope has no "data"';
}

/** CloudEvents 1.0 requires id, source, specversion and type; data must be JSON to be a ledger event. */
function envelopeProblem(
  specversion: string,
  id: string | null,
  source: string | null,
  type: string | null,
  datacontenttype: string | null,
): string | null {
  if (specversion !== '1.0') return `unsupported specversion ${JSON.stringify(specversion)} (expected "1.0")`;
  const missing = [id === null && 'id', source === null && 'source', type === null && 'type'].filter(Boolean);
  if (missing.length > 0) return `missing required attribute${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  if (datacontenttype !== null && !isJsonMediaType(datacontenttype)) {
    return `datacontenttype ${JSON.stringify(datacontenttype)} is not JSON`;
  }
  return null;
}

function isJsonMediaType(mediaType: string): boolean {
  const essence = mediaType.split(';')[0].trim().toLowerCase();
  return essence === 'application/json' || essence === 'text/json' || essence.endsWith('+json');
}

function defaultsOf(attributes: CloudEventHeaderAttributes): CanonicalDefaults {
  return { id: attributes.id, time: attributes.time, system: attributes.source };
}
