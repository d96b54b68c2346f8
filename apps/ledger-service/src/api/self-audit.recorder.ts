import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditTrail, redactApiKeys, type AccessAttempt, type SelfAuditRecord } from '#access';
import type { LedgerRuntime } from '../ledger-runtime.js';
import { LEDGER_RUNTIME } from '../tokens.js';
import type { Caller } from './access.guard.js';

export interface AuditedOperation {
  action: string;
  kind: 'read' | 'write';
  target: { param: string; type: string } | null;
  record: 'always' | 'denied';
}

/**
 * Turns HTTP calls into self-audit records (PCI DSS 10.2.1.3) and hands them to the
 * AuditTrail, which appends them to the ledger in batches. A call is recorded once its
 * response is complete, with the status it got; the trail is flushed when the application
 * shuts down, after the HTTP server has stopped taking requests.
 */
@Injectable()
export class SelfAuditRecorder implements OnApplicationShutdown {
  constructor(
    private readonly trail: AuditTrail,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
  ) {}

  /** Waits only when the trail is far behind (backpressure instead of unbounded memory). */
  admit(): Promise<void> {
    return this.trail.admit();
  }

  /** Records an admitted call when its response has been sent (or abandoned). */
  track(request: Request, response: Response, caller: Caller, operation: AuditedOperation, time: string): void {
    const complete = this.trail.begin();
    response.once('close', () => {
      const finished = response.writableFinished;
      const status = response.statusCode;
      complete(
        this.recordOf(request, operation, time, {
          subject: caller.subject,
          principal: caller.principal ?? caller.subject,
          keyId: caller.keyId ?? null,
          accountable: Boolean(caller.keyId),
          status: finished ? status : null,
          outcome: !finished ? 'unknown' : status < 400 ? 'success' : 'failure',
          reason: !finished ? 'the client closed the connection before the response was complete' : status < 400 ? null : `${status} ${STATUS_CODES[status] ?? ''}`.trim(),
        }),
      );
    });
  }

  /** Records a call the access policy refused (401, 403), attributed to whoever the credential names. */
  denied(request: Request, operation: AuditedOperation, attempt: AccessAttempt, status: number, reason: string, time: string): void {
    this.trail.record(
      this.recordOf(request, operation, time, {
        subject: attempt.subject,
        principal: attempt.principal,
        keyId: attempt.keyId,
        accountable: attempt.keyId !== null,
        status,
        outcome: 'failure',
        reason,
      }),
    );
  }

  /** Appends every record so far (tests call this before counting events). */
  async flush(): Promise<void> {
    await this.trail.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    const left = await this.trail.close();
    if (left > 0) this.runtime.logger.error({ lost: left }, 'self-audit records could not be appended before shutdown');
  }

  private recordOf(
    request: Request,
    operation: AuditedOperation,
    time: string,
    call: {
      subject: string;
      principal: string;
      keyId: string | null;
      accountable: boolean;
      status: number | null;
      outcome: SelfAuditRecord['outcome'];
      reason: string | null;
    },
  ): SelfAuditRecord {
    // Never a whole API key into the ledger, wherever a client put one (see redactApiKeys).
    const path = redactApiKeys(request.originalUrl || request.url);
    const rawParam = operation.target ? request.params?.[operation.target.param] : undefined;
    const param = typeof rawParam === 'string' ? redactApiKeys(rawParam) : rawParam;
    return {
      id: randomUUID(),
      time,
      kind: operation.kind,
      caller: { subject: call.subject, principal: call.principal, keyId: call.keyId, accountable: call.accountable },
      action: operation.action,
      target:
        operation.target && typeof param === 'string' && param.length > 0
          ? { type: operation.target.type, id: param }
          : { type: 'api_request', id: `${request.method} ${path}` },
      outcome: call.outcome,
      reason: call.reason,
      sourceIp: request.ip ?? request.socket?.remoteAddress ?? null,
      userAgent: redactOrNull(headerValue(request.headers['user-agent'])),
      request: { method: request.method, path, status: call.status, requestId: headerValue(request.headers['x-request-id']) ?? randomUUID() },
    };
  }
}

function redactOrNull(value: string | null): string | null {
  return value === null ? null : redactApiKeys(value);
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
