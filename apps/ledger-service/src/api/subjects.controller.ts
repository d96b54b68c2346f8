import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { EventPageDto } from '#api-contracts';
import { NotFoundError } from '#domain';
import type { LedgerConfig } from '#config';
import { EventQueryRepository } from '#event-store';
import { LEDGER_CONFIG } from '../tokens.js';
import { RequiresScope } from './access.guard.js';
import { ApiEventFilters, ApiProblem } from './api-docs.decorators.js';
import { toPageResponse } from './event-responses.js';
import { decodeCursor, eventFilterSchema, parseQuery } from './query-parameters.js';

@ApiTags('subjects')
@Controller('v1/subjects')
export class SubjectsController {
  constructor(
    private readonly queries: EventQueryRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get(':subject/activity')
  @RequiresScope('events:read')
  @ApiOperation({ summary: "A subject's who-did-what timeline, in event-time order." })
  @ApiParam({
    name: 'subject',
    description: 'Accountable subject id, URL-encoded (e.g. arn%3Aaws%3Aiam%3A%3A111122223333%3Auser%2Falice).',
  })
  @ApiEventFilters({ withSubject: false })
  @ApiOkResponse({ type: EventPageDto })
  @ApiProblem(404, 'The ledger has no event for this subject.')
  async activity(@Param('subject') subject: string, @Query() query: unknown) {
    const schema = eventFilterSchema(this.config.http.pageLimitMax).pick({
      action: true,
      category: true,
      outcome: true,
      from: true,
      to: true,
      limit: true,
      cursor: true,
    });
    const q = parseQuery(schema.strict(), query);
    const cursor = decodeCursor(q.cursor);
    const page = await this.queries.search(
      { subject: subject.normalize('NFC'), action: q.action, category: q.category, outcome: q.outcome, from: q.from, to: q.to },
      q.limit,
      cursor,
    );
    if (page.items.length === 0 && !cursor && !(await this.queries.subjectExists(subject.normalize('NFC')))) {
      throw new NotFoundError('subject', subject);
    }
    return toPageResponse(page);
  }
}
