import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ForbiddenError, RateLimitedError, UnauthenticatedError, type Scope } from '#access';
import { ACCESS_POLICY } from '../tokens.js';
import { SelfAuditRecorder, type AuditedOperation } from './self-audit.recorder.js';

export type { Scope } from '#access';

const SCOPE_KEY = 'ledger:required-scope';
const AUDIT_KEY = 'ledger:self-audit';

/** Declares the scope an endpoint needs; endpoints without one (health) are open and not audited. */
export const RequiresScope = (scope: Scope) => SetMetadata(SCOPE_KEY, scope);

export interface SelfAuditOptions {
  /** Operation name; recorded as the action `ledger:<operation>`. */
  operation: string;
  /** `read` (default for GET) records `activity.ledger_read`; `write` records `activity.ledger_write`. */
  kind?: 'read' | 'write';
  /** The route parameter naming what is read, and its target type; else the request path is the target. */
  target?: { param: string; type: string };
  /** `always` (default) records every call; `denied` only refused ones (ingest: the events record themselves). */
  record?: 'always' | 'denied';
}

/**
 * How the self-audit (PCI DSS 10.2.1.3) records calls to an endpoint. Every endpoint with
 * a scope is recorded even without this decorator (named after its handler); the
 * decorator gives the stable operation name and the target.
 */
export const SelfAudit = (options: SelfAuditOptions) => SetMetadata(AUDIT_KEY, options);

export interface Caller {
  /** The accountable subject the API key belongs to (self-audit attributes reads to it). */
  subject: string;
  scopes: Scope[];
  /** What names the caller in the self-audit: `lgr_<key id>`, or `anonymous`. */
  principal?: string;
  keyId?: string | null;
}

/**
 * Decides who is calling and whether they may: ApiKeyAccessPolicy (keys, scopes, rate
 * limits) by default; OpenAccessPolicy only when LEDGER_AUTH_DISABLED=true.
 */
export interface AccessPolicy {
  authorize(request: Request, required: Scope): Promise<Caller>;
}

/** Admits every caller as `anonymous` with every scope: local experiments only. */
@Injectable()
export class OpenAccessPolicy implements AccessPolicy {
  async authorize(): Promise<Caller> {
    return { subject: 'anonymous', principal: 'anonymous', scopes: ['admin'], keyId: null };
  }
}

/**
 * The seam between HTTP and access control: asks the policy, turns its refusals into the
 * headers HTTP clients expect (WWW-Authenticate, Retry-After; the body is the problem+json
 * of ProblemDetailsFilter), and has every call to a scoped endpoint recorded in the ledger.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
    private readonly audit: SelfAuditRecorder,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const required = this.reflector.getAllAndOverride<Scope | undefined>(SCOPE_KEY, targets);
    if (!required) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { caller?: Caller }>();
    const response = http.getResponse<Response>();
    const operation = operationOf(this.reflector.getAllAndOverride<SelfAuditOptions | undefined>(AUDIT_KEY, targets), context, request, required);
    const time = new Date().toISOString();
    await this.audit.admit();
    let caller: Caller;
    try {
      caller = await this.policy.authorize(request, required);
    } catch (error) {
      if (error instanceof UnauthenticatedError) {
        response.setHeader('WWW-Authenticate', error.tokenPresented ? 'Bearer realm="ledger", error="invalid_token"' : 'Bearer realm="ledger"');
        this.audit.denied(request, operation, error.attempt, 401, `unauthenticated: ${error.message}`, time);
      } else if (error instanceof ForbiddenError) {
        response.setHeader('WWW-Authenticate', `Bearer realm="ledger", error="insufficient_scope", scope="${error.requiredScope}"`);
        this.audit.denied(request, operation, error.attempt, 403, `forbidden: ${error.message}`, time);
      } else if (error instanceof RateLimitedError) {
        // Not recorded one by one: a refused flood must not become a flood of appends.
        response.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
    request.caller = caller;
    if (operation.record === 'always') this.audit.track(request, response, caller, operation, time);
    return true;
  }
}

function operationOf(options: SelfAuditOptions | undefined, context: ExecutionContext, request: Request, scope: Scope): AuditedOperation {
  const handler = context.getHandler().name;
  const readish = request.method === 'GET' || request.method === 'HEAD';
  return {
    action: `ledger:${options?.operation ?? handler.charAt(0).toUpperCase() + handler.slice(1)}`,
    kind: options?.kind ?? (readish ? 'read' : 'write'),
    target: options?.target ?? null,
    record: options?.record ?? (scope === 'ingest:write' ? 'denied' : 'always'),
  };
}
