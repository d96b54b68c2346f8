// Normalization of source messages into canonical ledger events (DESIGN 4, 5). Pure functions:
// no Nest, no pg, no Kafka.
export { normalizeMessage, DEFAULT_MAX_MESSAGE_BYTES } from './normalize-message.js';
export {
  SOURCE_FORMATS,
  LEDGER_FORMAT_HEADER,
  type SourceFormat,
  type SourceMessage,
  type RejectedRecord,
  type NormalizeResult,
  type NormalizeOptions,
  type TransportTime,
} from './source-message.js';
export { resolveFormatName } from './normalizer-registry.js';
export { REJECTION_REASONS, type RejectionReason } from './rejection-reasons.js';
export { LEDGER_EVENT_V1_SCHEMA } from './canonical/ledger-event-schema.js';
export {
  parseEventTime,
  parseSyslogTimestamp,
  eventTimeFromEpochMillis,
  eventTimeOrTransport,
  readTransportTime,
  type TransportTimeFact,
  type EventTimeResult,
  type EventTimeOptions,
  type SyslogTimeOptions,
} from './event-time.js';
export { classifySourceAddress, canonicalIp, type SourceAddress } from './source-address.js';
