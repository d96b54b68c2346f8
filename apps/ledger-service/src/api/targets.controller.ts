import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { EventPageDto } from '#api-contracts';
import type { LedgerConfig } from '#config';
import { NotFoundError } from '#domain';
import { EventQueryRepository } from '#event-store';
import { LEDGER_CONFIG } from '../tokens.js';
import { RequiresScope, SelfAudit } from './access.guard.js';
import { ApiEventFilters, ApiProblem } from './api-docs.decorators.js';
import { toPageResponse } from './event-responses.js';
import { decodeCursor, eventFilterSchema, parseQuery, pathParameter } from './query-parameters.js';

@ApiTags('targets')
@Controller('v1/targets')
export class TargetsController {
  constructor(
    private readonly queries: EventQueryRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get(':target/activity')
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'GetTargetActivity', target: { param: 'target', type: 'target' } })
  @ApiOperation({ summary: 'Who touched this resource or identity, in event-time order (e.g. "who touched the audit logs?").' })
  @ApiParam({ name: 'target', description: 'Target id as events name it (an ARN, a user, a trail name), URL-encoded.' })
  @ApiEventFilters({ withSubject: false })
  @ApiOkResponse({ type: EventPageDto })
  @ApiProblem(404, 'No event names this target.')
  async activity(@Param('target') targetParameter: string, @Query() query: unknown) {
    const target = pathParameter('target', targetParameter);
    const schema = eventFilterSchema(this.config.http.pageLimitMax)
      .pick({ action: true, category: true, outcome: true, from: true, to: true, limit: true, cursor: true })
      .strict();
    const q = parseQuery(schema, query);
    const cursor = decodeCursor(q.cursor);
    const page = await this.queries.search(
      { target: target.normalize('NFC'), action: q.action, category: q.category, outcome: q.outcome, from: q.from, to: q.to },
      q.limit,
      cursor,
    );
    if (page.items.length === 0 && !cursor && q.from === undefined && q.to === undefined) {
      const any = await this.queries.search({ target: target.normalize('NFC') }, 1, null);
      if (any.items.length === 0) throw new NotFoundError('target', target);
    }
    return toPageResponse(page);
  }
}
