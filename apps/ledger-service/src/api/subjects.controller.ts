import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccountabilityProfileDto, EventPageDto, SubjectPageDto } from '#api-contracts';
import { AccountabilityRepository, composeSubjectProfile, SubjectsRepository } from '#projections';
import { z } from 'zod';
import { InvalidArgumentError, NotFoundError } from '#domain';
import type { LedgerConfig } from '#config';
import { EventQueryRepository, SubjectQueryRepository } from '#event-store';
import { IdentityRepository } from '#attribution';
import { LEDGER_CONFIG } from '../tokens.js';
import { RequiresScope, SelfAudit } from './access.guard.js';
import { profileFields } from './accountability-responses.js';
import { ApiEventFilters, ApiProblem } from './api-docs.decorators.js';
import { toPageResponse } from './event-responses.js';
import { decodeCursor, eventFilterSchema, parseQuery, pathParameter } from './query-parameters.js';

@ApiTags('subjects')
@Controller('v1/subjects')
export class SubjectsController {
  constructor(
    private readonly queries: EventQueryRepository,
    private readonly identities: IdentityRepository,
    private readonly subjects: SubjectQueryRepository,
    private readonly subjectList: SubjectsRepository,
    private readonly accountability: AccountabilityRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get()
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'ListSubjects' })
  @ApiOperation({ summary: 'Every accountable subject, with its last activity and its open (untriaged) anomalies, in subject order.' })
  @ApiQuery({ name: 'kind', required: false, enum: ['human', 'service', 'root', 'unknown'] })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } })
  @ApiQuery({ name: 'cursor', required: false, description: '`next_cursor` of the previous page.' })
  @ApiOkResponse({ type: SubjectPageDto })
  @ApiProblem(400, 'A parameter is invalid (named in `field`).')
  async list(@Query() query: unknown) {
    const schema = z
      .object({
        kind: z.enum(['human', 'service', 'root', 'unknown']).optional(),
        limit: z.coerce.number().int().min(1).max(this.config.http.pageLimitMax).default(100),
        cursor: z.string().min(1).max(4096).optional(),
      })
      .strict();
    const q = parseQuery(schema, query);
    const after = q.cursor === undefined ? null : decodeSubjectCursor(q.cursor);
    const page = await this.subjectList.list(after, q.kind ?? null, q.limit);
    return {
      items: page.items.map((s) => ({
        subject: s.subject,
        kinds: s.kinds,
        events: s.events,
        failures: s.failures,
        root_events: s.rootEvents,
        first_seen: s.firstSeen,
        last_seen: s.lastSeen,
        last_action: s.lastAction,
        open_anomalies: s.openAnomalies,
      })),
      next_cursor: page.next === null ? null : Buffer.from(page.next, 'utf8').toString('base64url'),
    };
  }

  @Get(':subject')
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'GetSubjectProfile', target: { param: 'subject', type: 'subject' } })
  @ApiOperation({
    summary: 'Who this subject is: the person the identity map links it to, every alias with its activity, and its accountability profile.',
    description:
      'Sign-ins and MFA, groups, roles acted through, privileges (direct, via_group:<group>, via_role:<role>), root use, access keys ' +
      '(age at request time) and dormancy, over every alias of the person. Facts done to an identity (group membership, policies, ' +
      'keys) belong to the target of the call, not to the administrator who made it.',
  })
  @ApiParam({ name: 'subject', description: 'Accountable subject id or any alias of the person, URL-encoded.' })
  @ApiOkResponse({ type: AccountabilityProfileDto })
  @ApiProblem(404, 'The ledger has no event or profile fact for this subject or any of its aliases.')
  async profile(@Param('subject') subjectParameter: string) {
    const subject = pathParameter('subject', subjectParameter);
    const { person, aliases } = await this.identities.aliasesOf(subject);
    const [summaries, rows, sourcesLatest] = await Promise.all([
      this.subjects.summarize(aliases),
      this.accountability.profileRows(aliases),
      this.accountability.sourcesLatest(),
    ]);
    const profile = composeSubjectProfile(rows, new Date(), sourcesLatest);
    // A user only ever acted upon (created, added to a group) has a profile without events of its own.
    if (summaries.length === 0 && person === null && !profile.known) throw new NotFoundError('subject', subject);
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
      ...profileFields(profile),
    };
  }

  @Get(':subject/activity')
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'GetSubjectActivity', target: { param: 'subject', type: 'subject' } })
  @ApiOperation({ summary: "A subject's who-did-what timeline, in event-time order." })
  @ApiParam({
    name: 'subject',
    description: 'Accountable subject id or any alias of the person, URL-encoded (e.g. arn%3Aaws%3Aiam%3A%3A111122223333%3Auser%2Falice).',
  })
  @ApiEventFilters({ withSubject: false })
  @ApiOkResponse({ type: EventPageDto })
  @ApiProblem(404, 'The ledger has no event for this subject.')
  async activity(@Param('subject') subjectParameter: string, @Query() query: unknown) {
    const subject = pathParameter('subject', subjectParameter);
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

function decodeSubjectCursor(cursor: string): string {
  const subject = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!subject || Buffer.from(subject, 'utf8').toString('base64url') !== cursor) {
    throw new InvalidArgumentError('cursor', 'cursor is not one this API issued');
  }
  return subject;
}
