import { DomainError } from '#domain';
import type { Scope } from './scopes.js';

/**
 * Who tried, as far as the credential tells: the key owner when the key itself was valid
 * (e.g. revoked), otherwise `unknown` with the key prefix, if any, as the principal. Kept off
 * `details` so that it is recorded in the ledger but never echoed to the caller.
 */
export interface AccessAttempt {
  subject: string;
  principal: string;
  keyId: string | null;
}

export const UNKNOWN_SUBJECT = 'unknown';

export class UnauthenticatedError extends DomainError {
  constructor(
    message: string,
    readonly attempt: AccessAttempt,
    /** RFC 6750 error code for WWW-Authenticate: a token was presented but is not valid. */
    readonly tokenPresented: boolean,
  ) {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(
    readonly requiredScope: Scope,
    readonly attempt: AccessAttempt,
  ) {
    super('forbidden', `this API key lacks the scope ${requiredScope}`, { required_scope: requiredScope });
  }
}

/**
 * Separation of duties: the person an anomaly is about may not triage it (acknowledge,
 * resolve, dismiss as false positive); a second person must (PCI DSS 10.4.1 review).
 */
export class SelfReviewError extends DomainError {
  constructor(anomalyId: string, subject: string) {
    super('forbidden', `anomaly ${anomalyId} is about ${subject}, the owner of this API key: a second person must triage it`, { anomaly_id: anomalyId });
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', `rate limit exceeded; retry after ${retryAfterSeconds} s`, { retry_after_seconds: retryAfterSeconds });
  }
}
