import type { Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyRepository, ApiKeyService, AuditTrail, RateLimiter } from '#access';
import type { LedgerRuntime } from '../ledger-runtime.js';
import { ACCESS_POLICY, LEDGER_RUNTIME } from '../tokens.js';
import { AccessGuard, OpenAccessPolicy } from './access.guard.js';
import { ApiKeyAccessPolicy } from './api-key-access.policy.js';
import { SelfAuditRecorder } from './self-audit.recorder.js';

/** Access control and self-audit, wired from the runtime's pool, ingestion and configuration. */
export const accessProviders: Provider[] = [
  {
    provide: ApiKeyService,
    inject: [LEDGER_RUNTIME],
    useFactory: (runtime: LedgerRuntime) =>
      new ApiKeyService(new ApiKeyRepository(runtime.pool), runtime.ingest, { cacheMs: runtime.config.access.keyCacheMs }),
  },
  {
    provide: AuditTrail,
    inject: [LEDGER_RUNTIME],
    useFactory: (runtime: LedgerRuntime) => {
      const logger = runtime.logger.child({ component: 'self-audit' });
      return new AuditTrail((messages) => runtime.ingest.ingest(messages, { channel: 'ledger', maxMessageBytes: runtime.config.ingest.maxMessageBytes }), {
        flushIntervalMs: runtime.config.access.selfAuditFlushMs,
        onError: (error, pending) => logger.error({ err: (error as Error).message, pending }, 'self-audit append failed; retrying'),
      });
    },
  },
  SelfAuditRecorder,
  {
    provide: ACCESS_POLICY,
    inject: [LEDGER_RUNTIME, ApiKeyService],
    useFactory: (runtime: LedgerRuntime, keys: ApiKeyService) => {
      const { access } = runtime.config;
      if (access.authDisabled) {
        runtime.logger.warn(
          { LEDGER_AUTH_DISABLED: true },
          'API AUTHENTICATION IS DISABLED: every caller is admitted as "anonymous" with every scope. For local experiments only; never expose this instance.',
        );
        return new OpenAccessPolicy();
      }
      return new ApiKeyAccessPolicy(keys, new RateLimiter(access.rateLimit), runtime.logger.child({ component: 'access' }));
    },
  },
  { provide: APP_GUARD, useClass: AccessGuard },
];
