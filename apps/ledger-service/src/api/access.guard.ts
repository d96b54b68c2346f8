import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCESS_POLICY } from '../tokens.js';

export type Scope = 'events:read' | 'anomalies:triage' | 'exports:create' | 'ingest:write' | 'admin';

const SCOPE_KEY = 'ledger:required-scope';
/** Declares the scope an endpoint needs; endpoints without one (health) are open. */
export const RequiresScope = (scope: Scope) => SetMetadata(SCOPE_KEY, scope);

export interface Caller {
  /** The accountable subject the API key belongs to (self-audit attributes reads to it). */
  subject: string;
  scopes: Scope[];
}

/**
 * Decides who is calling and whether they may. The guard is the seam; the policy behind it
 * is swappable. API keys (`Authorization: Bearer`) come with their own issue: until then
 * the service runs with the open policy, which admits every caller as `anonymous`.
 */
export interface AccessPolicy {
  authorize(request: Request, required: Scope): Promise<Caller>;
}

@Injectable()
export class OpenAccessPolicy implements AccessPolicy {
  async authorize(): Promise<Caller> {
    return { subject: 'anonymous', scopes: ['admin'] };
  }
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<Scope | undefined>(SCOPE_KEY, [context.getHandler(), context.getClass()]);
    if (!required) return true;
    const request = context.switchToHttp().getRequest<Request & { caller?: Caller }>();
    request.caller = await this.policy.authorize(request, required);
    return true;
  }
}
