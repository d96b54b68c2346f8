import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, type DomainErrorCode } from '#domain';

const STATUS_OF: Record<DomainErrorCode, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  rejected_record: 422,
  integrity_violation: 500,
  unavailable: 503,
};

const TITLE_OF: Record<DomainErrorCode, string> = {
  invalid_argument: 'Invalid argument',
  unauthenticated: 'Authentication required',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  rate_limited: 'Too many requests',
  rejected_record: 'Record rejected',
  integrity_violation: 'Integrity violation',
  unavailable: 'Service unavailable',
};

/**
 * The one place where errors become HTTP responses: RFC 9457 problem+json, with the domain
 * error's stable code. Unexpected errors are logged and answered without internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let body: Record<string, unknown>;
    if (error instanceof DomainError) {
      status = STATUS_OF[error.code];
      body = { type: `urn:ledger:problem:${error.code}`, title: TITLE_OF[error.code], status, detail: error.message, code: error.code, ...error.details };
    } else if (error instanceof HttpException) {
      status = error.getStatus();
      const code = status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : `http_${status}`;
      body = { type: `urn:ledger:problem:${code}`, title: error.name, status, detail: error.message, code };
    } else {
      console.error(error);
      body = { type: 'urn:ledger:problem:internal', title: 'Internal error', status, detail: 'unexpected error; see the service log', code: 'internal' };
    }
    response.status(status).type('application/problem+json').send(JSON.stringify(body));
  }
}
