/**
 * Typed domain errors with stable codes. Domain and application code throws these; the
 * HTTP layer maps them to problem+json once, the CLI prints them, and Kafka ingestion
 * turns them into DLQ reasons. Nothing below the delivery layer knows about HTTP.
 */
export type DomainErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'payload_too_large'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'conflict'
  | 'unavailable'
  | 'integrity_violation'
  | 'rejected_record';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Structured facts for the caller, e.g. the offending field. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidArgumentError extends DomainError {
  constructor(readonly field: string, message: string) {
    super('invalid_argument', message, { field });
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not_found', `${what} not found: ${id}`, { what, id });
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(limitBytes: number) {
    super('payload_too_large', `payload exceeds ${limitBytes} bytes`, { limit_bytes: limitBytes });
  }
}

export class UnavailableError extends DomainError {
  constructor(message: string) {
    super('unavailable', message);
  }
}

/**
 * A source record that cannot become a ledger event. The reason is machine-readable
 * (`reason`) and ends up in the DLQ headers next to the original bytes.
 */
export class RecordRejectedError extends DomainError {
  constructor(readonly reason: string, message: string) {
    super('rejected_record', message, { reason });
  }
}

/**
 * Every record of one ingest request was rejected: nothing of it is in the ledger (the
 * rejections are kept for replay). Carries the per-record result so the caller still learns why.
 */
export class RecordsRejectedError extends DomainError {
  constructor(result: { rejected: number; rejections: ReadonlyArray<{ reason: string }> } & Record<string, unknown>) {
    super('rejected_record', `every record was rejected (${result.rejected}); nothing was stored`, result);
  }
}
