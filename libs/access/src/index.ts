export { SCOPES, grants, isScope, parseScopes, type Scope } from './scopes.js';
export { generateApiKey, parseApiKey, hashApiKey, isApiKeyId, redactApiKeys, type GeneratedApiKey, type PresentedApiKey } from './api-key-format.js';
export { UnauthenticatedError, ForbiddenError, SelfReviewError, RateLimitedError, UNKNOWN_SUBJECT, type AccessAttempt } from './access-errors.js';
export { RateLimiter, type RateLimitSettings, type TakeResult } from './token-bucket.js';
export {
  selfAuditEvent,
  apiKeyChangeEvent,
  LEDGER_SYSTEM,
  SELF_AUDIT_READ_TYPE,
  SELF_AUDIT_WRITE_TYPE,
  API_KEY_CREATED_TYPE,
  API_KEY_REVOKED_TYPE,
  type SelfAuditRecord,
  type ApiKeyChange,
} from './access-events.js';
export { validateOwnerSubject } from './owner-subject.js';
export { ApiKeyRepository, type StoredApiKey } from './api-key.repository.js';
export {
  ApiKeyService,
  keyIdOf,
  type AuthenticatedKey,
  type CreatedApiKey,
  type RevokedApiKey,
  type ApiKeyServiceOptions,
} from './api-key.service.js';
export { AuditTrail, type AuditTrailOptions, type AppendMessages } from './audit-trail.js';
