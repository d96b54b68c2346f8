import { Controller, Get, Inject, Param, Post, Query, Req, HttpCode } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { EventPageDto, IngestResultDto, LedgerEventDto } from '#api-contracts';
import { NotFoundError, InvalidArgumentError } from '#domain';
import type { LedgerConfig } from '#config';
import { EventQueryRepository } from '#event-store';
import { IdentityRepository } from '#attribution';
import { headersToStrings, IngestService } from '#ingestion';
import { LEDGER_CONFIG } from '../tokens.js';
import { RequiresScope, SelfAudit } from './access.guard.js';
import { ApiEventFilters, ApiProblem } from './api-docs.decorators.js';
import { toEventResponse, toPageResponse } from './event-responses.js';
import { readBody } from './request-body.js';
import { decodeCursor, eventFilterSchema, parseFormat, parseQuery, pathParameter } from './query-parameters.js';

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly queries: EventQueryRepository,
    private readonly ingest: IngestService,
    private readonly identities: IdentityRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get()
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'SearchEvents' })
  @ApiOperation({ summary: 'Search events (who did what), in event-time order, with cursor pagination.' })
  @ApiEventFilters({ withSubject: true })
  @ApiOkResponse({ type: EventPageDto })
  async search(@Query() query: unknown) {
    const q = parseQuery(eventFilterSchema(this.config.http.pageLimitMax), query);
    const page = await this.queries.search(
      {
        // Any alias of a person finds all of the person's events.
        subjects: q.subject === undefined ? undefined : (await this.identities.aliasesOf(q.subject)).aliases,
        principal: q.principal,
        action: q.action,
        category: q.category,
        outcome: q.outcome,
        target: q.target,
        sourceIp: q.source_ip,
        from: q.from,
        to: q.to,
      },
      q.limit,
      decodeCursor(q.cursor),
    );
    return toPageResponse(page);
  }

  @Get(':id')
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'GetEvent', target: { param: 'id', type: 'ledger_event' } })
  @ApiOperation({
    summary: 'One event by its source id.',
    description: 'When different records shared the id (flagged `id_collision`), the first stored is returned; search by id lists all.',
  })
  @ApiParam({ name: 'id', description: 'Source-unique event id (CloudTrail eventID, Okta uuid, ...).' })
  @ApiOkResponse({ type: LedgerEventDto })
  @ApiProblem(404, 'No event with this id.')
  async findOne(@Param('id') id: string) {
    const [first] = await this.queries.findBySourceId(pathParameter('id', id));
    if (!first) throw new NotFoundError('event', id);
    return toEventResponse(first);
  }

  @Post()
  @HttpCode(200)
  @RequiresScope('ingest:write')
  @SelfAudit({ operation: 'IngestEvents', record: 'denied' })
  @ApiOperation({
    summary: 'Ingest records over HTTP (same formats as Kafka).',
    description:
      'The body is one message: a JSON record, a CloudTrail delivery file ({"Records":[...]}), an EventBridge envelope, ' +
      'a CloudEvents envelope, or NDJSON (one record per line). Rejected records are reported and dead-lettered; the others are stored.',
  })
  @ApiConsumes('application/json', 'application/x-ndjson', 'text/plain')
  @ApiBody({ schema: { type: 'string', example: '{"Records":[...]}' } })
  @ApiQuery({ name: 'format', required: false, description: 'Declare the source format instead of auto-detection (e.g. aws-cloudtrail, canonical).' })
  @ApiOkResponse({ type: IngestResultDto })
  @ApiProblem(413, 'Body larger than the configured limit.')
  async ingestRecords(@Req() request: Request, @Query('format') format?: string) {
    if (format !== undefined && typeof format !== 'string') throw new InvalidArgumentError('format', 'format must be given once');
    const declaredFormat = parseFormat(format);
    const body = await readBody(request, this.config.http.bodyLimitBytes);
    const messages = splitNdjson(body).map((part) => ({
      body: part,
      headers: headersToStrings({}),
      declaredFormat,
      kafka: null,
    }));
    const outcome = await this.ingest.ingest(messages, { channel: 'http', maxMessageBytes: this.config.ingest.maxMessageBytes });
    return {
      appended: outcome.appended,
      duplicates: outcome.duplicates,
      id_collisions: outcome.idCollisions,
      rejected: outcome.rejected,
      rejections: outcome.rejections.map((r) => ({ message_index: r.messageIndex, record_index: r.recordIndex, reason: r.reason, message: r.message })),
    };
  }
}

/** A body that is one JSON document is one message; otherwise each non-blank line is one. */
function splitNdjson(body: Buffer): Buffer[] {
  const text = body.toString('utf8').trim();
  if (text.length === 0) return [body];
  try {
    JSON.parse(text);
    return [Buffer.from(text, 'utf8')];
  } catch {
    return text
      .split(/\r?\n/)
      .filter((line) => line.trim().length > 0)
      .map((line) => Buffer.from(line, 'utf8'));
  }
}
