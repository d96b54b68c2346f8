import { Controller, Get, Inject, Param, Post, Query, Req, HttpCode } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { EventPageDto, IngestResultDto, LedgerEventDto } from '#api-contracts';
import { NotFoundError, RecordsRejectedError } from '#domain';
import { SOURCE_FORMATS } from '#sources';
import type { LedgerConfig } from '#config';
import { EventQueryRepository } from '#event-store';
import { IdentityRepository } from '#attribution';
import { headersToStrings, IngestService } from '#ingestion';
import { LEDGER_CONFIG } from '../tokens.js';
import { RequiresScope, SelfAudit } from './access.guard.js';
import { ApiEventFilters, ApiProblem } from './api-docs.decorators.js';
import { toEventResponse, toPageResponse } from './event-responses.js';
import { readBody } from './request-body.js';
import { decodeCursor, eventFilterSchema, parseIngestQuery, parseQuery, pathParameter } from './query-parameters.js';

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
  @ApiQuery({
    name: 'format',
    required: false,
    description: `Declare the source format instead of auto-detection: one of ${SOURCE_FORMATS.join(', ')} (or an alias such as cloudtrail or syslog).`,
  })
  @ApiOkResponse({ type: IngestResultDto, description: 'At least one record was stored (or was already stored); the others are listed in `rejections`.' })
  @ApiProblem(400, 'An unknown query parameter, or a format that is not one of the known ones.')
  @ApiProblem(413, 'Body larger than the configured limit.')
  @ApiProblem(422, 'Every record of the body was rejected (code `rejected_record`); the body has the same counts and `rejections` as a 200 answer.')
  async ingestRecords(@Req() request: Request, @Query() query: unknown) {
    const { format } = parseIngestQuery(query);
    const body = await readBody(request, this.config.http.bodyLimitBytes);
    const parts = splitNdjson(body);
    const messages = parts.map((part) => ({
      body: part.body,
      headers: headersToStrings({}),
      declaredFormat: format,
      kafka: null,
    }));
    const outcome = await this.ingest.ingest(messages, { channel: 'http', maxMessageBytes: this.config.ingest.maxMessageBytes });
    const result = {
      appended: outcome.appended,
      duplicates: outcome.duplicates,
      id_collisions: outcome.idCollisions,
      rejected: outcome.rejected,
      rejections: outcome.rejections.map((r) => ({
        message_index: r.messageIndex,
        line: parts[r.messageIndex]?.line ?? null,
        record_index: r.recordIndex,
        reason: r.reason,
        message: r.message,
      })),
    };
    // A script that checks only the status must not take a body of which nothing was kept for success.
    if (result.rejected > 0 && result.appended + result.duplicates + result.id_collisions === 0) throw new RecordsRejectedError(result);
    return result;
  }
}

interface BodyMessage {
  body: Buffer;
  /** 1-based line of the request body for NDJSON; null when the body is one JSON document. */
  line: number | null;
}

/** A body that is one JSON document is one message; otherwise each non-blank line is one. */
function splitNdjson(body: Buffer): BodyMessage[] {
  const whole = body.toString('utf8');
  const text = whole.trim();
  if (text.length === 0) return [{ body, line: null }];
  try {
    JSON.parse(text);
    return [{ body: Buffer.from(text, 'utf8'), line: null }];
  } catch {
    const messages: BodyMessage[] = [];
    const lines = whole.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) if (lines[i]!.trim()) messages.push({ body: Buffer.from(lines[i]!, 'utf8'), line: i + 1 });
    return messages;
  }
}
