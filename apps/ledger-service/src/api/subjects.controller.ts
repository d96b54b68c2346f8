import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { EventPageDto, SubjectProfileDto } from '#api-contracts';
import { NotFoundError } from '#domain';
import type { LedgerConfig } from '#config';
import { EventQueryRepository, SubjectQueryRepository } from '#event-store';
import { IdentityRepository } from '#attribution';
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
    private readonly identities: IdentityRepository,
    private readonly subjects: SubjectQueryRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get(':subject')
  @RequiresScope('events:read')
  @ApiOperation({
    summary: 'Who this subject is: the person the identity map links it to, and every alias with its activity.',
  })
  @ApiParam({ name: 'subject', description: 'Accountable subject id or any alias of the person, URL-encoded.' })
  @ApiOkResponse({ type: SubjectProfileDto })
  @ApiProblem(404, 'The ledger has no event for this subject or any of its aliases.')
  async profile(@Param('subject') subject: string) {
    const { person, aliases } = await this.identities.aliasesOf(subject);
    const summaries = await this.subjects.summarize(aliases);
    if (summaries.length === 0 && person === null) throw new NotFoundError('subject', subject);
    const active = summaries.filter((s) => s.firstSeen !== null);
    const bySubject = new Map(summaries.map((s) => [s.subject, s]));
    return {
      subject: subject.normalize('NFC'),
      person,
      aliases: aliases.sort().map((alias) => {
        const s = bySubject.get(alias);
        return { subject: alias, kinds: s?.kinds ?? [], events: s?.events ?? 0, first_seen: s?.firstSeen ?? null, last_seen: s?.lastSeen ?? null };
      }),
      events: summaries.reduce((sum, s) => sum + s.events, 0),
      first_seen: active.map((s) => s.firstSeen!).sort()[0] ?? null,
      last_seen: active.map((s) => s.lastSeen!).sort().at(-1) ?? null,
    };
  }

  @Get(':subject/activity')
  @RequiresScope('events:read')
  @ApiOperation({ summary: "A subject's who-did-what timeline, in event-time order." })
  @ApiParam({
    name: 'subject',
    description: 'Accountable subject id or any alias of the person, URL-encoded (e.g. arn%3Aaws%3Aiam%3A%3A111122223333%3Auser%2Falice).',
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
    // Any alias of a person shows the whole person: every alias, and events re-attributed later.
    const { aliases } = await this.identities.aliasesOf(subject);
    const page = await this.queries.search(
      { subjects: aliases, action: q.action, category: q.category, outcome: q.outcome, from: q.from, to: q.to },
      q.limit,
      cursor,
    );
    if (page.items.length === 0 && !cursor && !(await this.queries.subjectExists(aliases))) {
      throw new NotFoundError('subject', subject);
    }
    return toPageResponse(page);
  }
}
