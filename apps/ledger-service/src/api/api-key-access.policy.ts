import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeyService, ForbiddenError, grants, RateLimitedError, RateLimiter, UnauthenticatedError, UNKNOWN_SUBJECT, type Scope } from '#access';
import type { Logger } from '#logging';
import type { AccessPolicy, Caller } from './access.guard.js';

const USAGE_FLUSH_MS = 10_000;

/**
 * API keys as bearer tokens (DESIGN 8): no or a bad key → 401, a key without the scope →
 * 403, too many calls → 429. Calls are limited per key; failed attempts per source address,
 * so that guessing keys is slow and a flood of bad keys cannot flood the self-audit.
 */
export class ApiKeyAccessPolicy implements AccessPolicy, OnModuleInit, OnApplicationShutdown {
  private usageTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly keys: ApiKeyService,
    private readonly limiter: RateLimiter,
    private readonly logger: Logger,
  ) {}

  async authorize(request: Request, required: Scope): Promise<Caller> {
    let key;
    try {
      key = await this.keys.authenticate(bearerToken(request));
    } catch (error) {
      if (error instanceof UnauthenticatedError) this.limit(`addr:${request.ip ?? request.socket?.remoteAddress ?? '-'}`);
      throw error;
    }
    this.limit(`key:${key.id}`);
    const caller: Caller = { subject: key.owner, scopes: key.scopes, principal: `lgr_${key.id}`, keyId: key.id };
    if (!grants(key.scopes, required)) throw new ForbiddenError(required, { subject: key.owner, principal: `lgr_${key.id}`, keyId: key.id });
    return caller;
  }

  onModuleInit(): void {
    this.usageTimer = setInterval(() => void this.flushUsage(), USAGE_FLUSH_MS);
    this.usageTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.usageTimer) clearInterval(this.usageTimer);
    await this.flushUsage();
  }

  private limit(bucket: string): void {
    const taken = this.limiter.take(bucket);
    if (!taken.allowed) throw new RateLimitedError(taken.retryAfterSeconds);
  }

  private async flushUsage(): Promise<void> {
    await this.keys.flushUsage().catch((error: Error) => this.logger.warn({ err: error.message }, 'could not record API key use'));
  }
}

/** The token of `Authorization: Bearer <token>`; null without the header; refuses any other scheme. */
function bearerToken(request: Request): string | null {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return null;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  if (!match) {
    throw new UnauthenticatedError('use Authorization: Bearer <api key>', { subject: UNKNOWN_SUBJECT, principal: 'anonymous', keyId: null }, true);
  }
  return match[1]!;
}
