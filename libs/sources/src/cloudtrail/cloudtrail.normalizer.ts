import { memberArrayElementSpans } from '../json-spans.js';
import { describeType, isJsonObject, stringField, type JsonObject } from '../json-value.js';
import { emit, type NormalizeContext, type RecordSink, type SourceNormalizer } from '../source-normalizer.js';
import { normalizeCloudTrailRecord, type EnvelopeFacts } from './cloudtrail-record.js';

/**
 * AWS CloudTrail in the three shapes it is delivered in: single records (CloudTrail Lake
 * exports, SIEM forwarders, one record per Kafka message), delivery files
 * `{"Records":[...]}` from S3, and EventBridge envelopes whose `detail` is the record.
 */
export const cloudTrailNormalizer: SourceNormalizer = {
  format: 'aws-cloudtrail',

  detects(value: unknown): boolean {
    if (!isJsonObject(value)) return false;
    if (Array.isArray(value.Records)) return true;
    if (isEventBridgeEnvelope(value)) return true;
    return looksLikeRecord(value);
  },

  normalize(value: unknown, raw: string, context: NormalizeContext, sink: RecordSink): void {
    if (!isJsonObject(value)) {
      sink.reject('invalid_record', `a CloudTrail message must be a JSON object, got ${describeType(value)}`, raw);
      return;
    }
    if (Object.hasOwn(value, 'Records')) {
      deliveryFile(value.Records, raw, context, sink);
      return;
    }
    if (isEventBridgeEnvelope(value)) {
      // raw stays the whole envelope: its id, time and account belong to the record's provenance
      const envelope: EnvelopeFacts = { account: stringField(value, 'account'), region: stringField(value, 'region'), time: value.time };
      emit(normalizeCloudTrailRecord(value.detail, raw, context, envelope), raw, sink);
      return;
    }
    emit(normalizeCloudTrailRecord(value, raw, context), raw, sink);
  },
};

function deliveryFile(records: unknown, raw: string, context: NormalizeContext, sink: RecordSink): void {
  if (!Array.isArray(records)) {
    sink.reject('invalid_record', `"Records" must be an array, got ${describeType(records)}`, raw);
    return;
  }
  if (records.length === 0) {
    sink.reject('empty_message', 'the delivery file has no records', raw);
    return;
  }
  const spans = memberArrayElementSpans(raw, 0, 'Records');
  if (spans === null || spans.length !== records.length) {
    sink.reject('internal_error', 'could not delimit the records of the delivery file', raw);
    return;
  }
  for (let i = 0; i < records.length; i++) {
    const recordRaw = raw.slice(spans[i].start, spans[i].end);
    const recordSink = sink.at(`Records[${i}]`);
    try {
      emit(normalizeCloudTrailRecord(records[i], recordRaw, context), recordRaw, recordSink);
    } catch (error) {
      recordSink.reject('internal_error', `normalization failed unexpectedly: ${(error as Error)?.message ?? String(error)}`, recordRaw);
    }
  }
}

function isEventBridgeEnvelope(value: JsonObject): boolean {
  const detailType = value['detail-type'];
  if (typeof detailType !== 'string' || !isJsonObject(value.detail)) return false;
  // "AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail", "AWS Service Event via CloudTrail", ...
  return detailType.endsWith('via CloudTrail') || looksLikeRecord(value.detail);
}

function looksLikeRecord(value: JsonObject): boolean {
  return (
    (typeof value.eventName === 'string' && typeof value.eventSource === 'string') ||
    (typeof value.eventVersion === 'string' && typeof value.eventID === 'string' && isJsonObject(value.userIdentity))
  );
}
