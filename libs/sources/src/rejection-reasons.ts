/**
 * Stable, machine-readable reasons a record (or a whole message) is rejected. They end up in
 * DLQ headers and HTTP responses, so existing values never change meaning; new source
 * formats may add values.
 */
export const REJECTION_REASONS = [
  'empty_message',
  'message_too_large',
  'invalid_encoding',
  'invalid_json',
  'unknown_format',
  'invalid_envelope',
  'invalid_record',
  'missing_event_id',
  'missing_event_time',
  'invalid_event_time',
  'schema_violation',
  'unsupported_event',
  'unrecognized_line',
  'ignored_line',
  'internal_error',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];
