import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { AnomalyDto, AnomalyPageDto, TriageRequestDto } from '#api-contracts';
import { ANOMALY_TYPES } from '#detection';
import { anomalyTriagedEvent, type AnomalyRecord, TRIAGE_STATUSES } from '#anomalies';
import { IdentityRepository } from '#attribution';
import type { LedgerConfig } from '#config';
import { InvalidArgumentError, NotFoundError } from '#domain';
import { SelfReviewError } from '#access';
import { prepareEvent } from '#event-store';
import type { LedgerRuntime } from '../ledger-runtime.js';
import { LEDGER_CONFIG, LEDGER_RUNTIME } from '../tokens.js';
import { RequiresScope, SelfAudit, type Caller } from './access.guard.js';
import { ApiProblem } from './api-docs.decorators.js';
import { isoTime, parseQuery } from './query-parameters.js';
import { readJsonObject } from './request-body.js';


const triageSchema = z
  .object({
    status: z.enum(TRIAGE_STATUSES),
    // Tabs and line breaks are text; other control characters (U+0000 above all, which
    // Postgres text cannot hold) are refused here rather than carried into the ledger.
    note: z
      .string()
      .min(1)
      .max(4000)
      .refine((note) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(note), 'must not contain control characters other than tab and line breaks'),
  })
  .strict();

@ApiTags('anomalies')
@Controller('v1/anomalies')
export class AnomaliesController {
  constructor(
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    private readonly identities: IdentityRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get()
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'ListAnomalies' })
  @ApiOperation({ summary: 'Anomalies in event-time order, with their triage status.' })
  @ApiQuery({ name: 'subject', required: false, description: 'Any alias of the person.' })
  @ApiQuery({ name: 'type', required: false, enum: [...ANOMALY_TYPES] })
  @ApiQuery({ name: 'severity', required: false, enum: ['low', 'medium', 'high', 'critical'] })
  @ApiQuery({ name: 'status', required: false, enum: [...TRIAGE_STATUSES] })
  @ApiQuery({ name: 'from', required: false, description: 'Inclusive lower bound on event time (ISO-8601).' })
  @ApiQuery({ name: 'to', required: false, description: 'Exclusive upper bound on event time (ISO-8601).' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: AnomalyPageDto })
  @ApiProblem(400, 'A parameter is invalid (named in `field`).')
  async list(@Query() query: unknown) {
    const schema = z
      .object({
        subject: z.string().min(1).max(2048).optional(),
        type: z.enum(ANOMALY_TYPES).optional(),
        severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
        status: z.enum(TRIAGE_STATUSES).optional(),
        from: isoTime.optional(),
        to: isoTime.optional(),
        limit: z.coerce.number().int().min(1).max(this.config.http.pageLimitMax).default(100),
        cursor: z.string().max(1024).optional(),
      })
      .strict();
    const q = parseQuery(schema, query);
    const subjects = q.subject === undefined ? undefined : (await this.identities.aliasesOf(q.subject)).aliases;
    const page = await this.runtime.anomalies.list(
      { subjects, type: q.type, severity: q.severity, status: q.status, from: q.from, to: q.to },
      q.limit,
      decodeAnomalyCursor(q.cursor),
    );
    return {
      items: page.items.map(toAnomalyResponse),
      next_cursor: page.next ? Buffer.from(JSON.stringify([page.next.time, page.next.id])).toString('base64url') : null,
    };
  }

  @Get(':id')
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'GetAnomaly', target: { param: 'id', type: 'anomaly' } })
  @ApiOperation({ summary: 'One anomaly with its evidence, baseline facts and triage history.' })
  @ApiParam({ name: 'id' })
  @ApiOkResponse({ type: AnomalyDto })
  @ApiProblem(404, 'No anomaly with this id.')
  async findOne(@Param('id') id: string) {
    const anomaly = await this.runtime.anomalies.find(id);
    if (!anomaly) throw new NotFoundError('anomaly', id);
    return toAnomalyResponse(anomaly);
  }

  @Post(':id/triage')
  @HttpCode(200)
  @RequiresScope('anomalies:triage')
  @SelfAudit({ operation: 'TriageAnomaly', kind: 'write', target: { param: 'id', type: 'anomaly' }, record: 'denied' })
  @ApiOperation({
    summary: 'Acknowledge, resolve or mark as false positive, with a note. The decision is itself a ledger event by the caller.',
  })
  @ApiParam({ name: 'id' })
  @ApiBody({ type: TriageRequestDto })
  @ApiOkResponse({ type: AnomalyDto })
  @ApiProblem(400, 'Invalid status or note.')
  @ApiProblem(403, 'The key lacks anomalies:triage, or its owner is the subject of the anomaly (a second person must triage it).')
  @ApiProblem(404, 'No anomaly with this id.')
  async triage(@Param('id') id: string, @Req() request: Request & { caller?: Caller }) {
    const body = await readJsonObject(request, 64 * 1024);
    const parsed = triageSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InvalidArgumentError(issue.path.join('.') || 'body', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const anomaly = await this.runtime.anomalies.find(id);
    if (!anomaly) throw new NotFoundError('anomaly', id);
    const actor = request.caller?.subject ?? 'anonymous';
    const { aliases } = await this.runtime.identities.aliasesOf(actor);
    if (aliases.includes(anomaly.subject) || actor === anomaly.subject) throw new SelfReviewError(id, anomaly.subject);
    const event = anomalyTriagedEvent(
      { anomalyId: id, status: parsed.data.status, note: parsed.data.note, actor, at: new Date().toISOString() },
      anomaly.subject,
      anomaly.history.length + 1,
    );
    await this.runtime.store.append({ events: [prepareEvent(event)] });
    // Read your own write: the projection follows within moments (another instance may be the one applying it).
    for (let attempt = 0; attempt < 100; attempt++) {
      await this.runtime.catchUpProjection('anomalies');
      const updated = (await this.runtime.anomalies.find(id))!;
      if (updated.history.length > anomaly.history.length) return toAnomalyResponse(updated);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return toAnomalyResponse(anomaly);
  }
}

function toAnomalyResponse(a: AnomalyRecord) {
  return {
    id: a.id,
    type: a.type,
    severity: a.severity,
    subject: a.subject,
    time: a.time,
    late: a.late,
    evidence_event_ids: a.evidenceEventIds,
    facts: a.facts,
    details: a.details,
    status: a.status,
    history: a.history,
    position: a.raisedPosition,
  };
}

function decodeAnomalyCursor(cursor: string | undefined): { time: string; id: string } | null {
  if (cursor === undefined) return null;
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof time === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(time))) return { time, id };
  } catch {
    // fall through
  }
  throw new InvalidArgumentError('cursor', 'cursor is not one this API issued');
}
