import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ProblemDto } from '#api-contracts';

/** The who-did-what filters shared by the search and timeline endpoints (DESIGN 8). */
export function ApiEventFilters(options: { withSubject: boolean }) {
  const filters = [
    ...(options.withSubject ? [ApiQuery({ name: 'subject', required: false, description: 'Accountable subject id, e.g. an IAM user ARN.' })] : []),
    ...(options.withSubject ? [ApiQuery({ name: 'principal', required: false, description: 'Raw principal as the source named it.' })] : []),
    ApiQuery({ name: 'action', required: false, example: 'iam:AttachUserPolicy' }),
    ApiQuery({ name: 'category', required: false, enum: ['identity', 'authentication', 'authorization', 'activity'] }),
    ApiQuery({ name: 'outcome', required: false, enum: ['success', 'failure', 'unknown'] }),
    ...(options.withSubject ? [ApiQuery({ name: 'target', required: false, description: 'Affected resource id.' })] : []),
    ...(options.withSubject ? [ApiQuery({ name: 'source_ip', required: false, description: 'IPv4 or IPv6 address.' })] : []),
    ApiQuery({ name: 'from', required: false, description: 'Inclusive lower bound on event time (ISO-8601).' }),
    ApiQuery({ name: 'to', required: false, description: 'Exclusive upper bound on event time (ISO-8601).' }),
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } }),
    ApiQuery({ name: 'cursor', required: false, description: '`next_cursor` of the previous page.' }),
  ];
  return applyDecorators(...filters, ApiBadRequestResponse({ type: ProblemDto, description: 'A parameter is invalid (named in `field`).' }));
}

export const ApiProblem = (status: number, description: string) => ApiResponse({ status, type: ProblemDto, description });
