import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '#logging';
import { EventQueryRepository } from '#event-store';
import { createLedgerEventStore, IngestService } from '#ingestion';
import { generateWorkload } from '#workload';
import { createTestDatabase, type TestDatabase } from '#test-support';
import { anomaliesProjection, anomalyTriagedEvent } from '#anomalies';
import { prepareEvent } from '#event-store';
import { ProjectionRunner, rebuildTogether } from './projection-runner.js';
import { accountPostureProjection } from './account-posture.projection.js';
import { subjectProfilesProjection } from './subject-profiles.projection.js';
import { evolveSubjects, subjectsProjection } from './subjects.projection.js';

describe('projection runner (real Postgres)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(inject('databaseUrl'), 'projections');
    const ingest = new IngestService(createLedgerEventStore(db.pool));
    const { records } = generateWorkload({ seed: 7, subjects: 10, eventsPerSubjectPerDay: 40 });
    const messages = records.map((record) => ({ body: Buffer.from(JSON.stringify(record)), headers: {}, kafka: null }));
    for (let i = 0; i < messages.length; i += 500) {
      await ingest.ingest(messages.slice(i, i + 500), { channel: 'cli', maxMessageBytes: 1 << 22 });
    }
  });
  afterAll(async () => db?.drop());

  const snapshot = async () =>
    (await db.pool.query('SELECT subject, kinds, events, failures, first_seen, last_seen, last_action, root_events FROM projection_subjects ORDER BY subject')).rows;

  it('follows the ledger in small batches, and a rebuild from position 0 gives the same result', async () => {
    const logger = createLogger('silent');
    const events = new EventQueryRepository(db.pool);
    const live = new ProjectionRunner(db.pool, events, subjectsProjection, logger, 97);
    const applied = await live.catchUp();
    const total = Number((await db.pool.query('SELECT next_position FROM ledger_head')).rows[0].next_position);
    expect(applied).toBe(total);
    const liveRows = await snapshot();

    // An independent computation over every stored event agrees with the projection.
    const all = await events.readAfter(-1, total + 1);
    const expected = evolveSubjects(all).sort((a, b) => (a.subject < b.subject ? -1 : 1));
    expect(liveRows.map((r) => [r.subject, Number(r.events), Number(r.failures)])).toEqual(expected.map((d) => [d.subject, d.events, d.failures]));

    const rebuilt = await new ProjectionRunner(db.pool, events, subjectsProjection, logger, 1000).rebuild();
    expect(rebuilt).toBe(total);
    expect(await snapshot()).toEqual(liveRows);
  });

  it('rebuilds several projections in one pass into the rows each keeps when it follows the ledger alone', async () => {
    const logger = createLogger('silent');
    const projections = [subjectsProjection, subjectProfilesProjection, accountPostureProjection];
    const tables = projections.flatMap((p) => p.tables);
    const dump = async () => {
      const out: Record<string, unknown[]> = {};
      for (const table of tables) out[table] = (await db.pool.query(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows;
      return out;
    };
    for (const projection of projections) await new ProjectionRunner(db.pool, new EventQueryRepository(db.pool), projection, logger, 250).rebuild();
    const alone = await dump();
    expect(Object.values(alone).some((rows) => rows.length > 0)).toBe(true);

    const shared = new EventQueryRepository(db.pool);
    const applied = await rebuildTogether(projections.map((p) => new ProjectionRunner(db.pool, shared, p, logger, 300)));
    const total = Number((await db.pool.query('SELECT next_position FROM ledger_head')).rows[0].next_position);
    expect([...applied.values()]).toEqual(projections.map(() => total));
    expect(await dump()).toEqual(alone);
  });

  it('keeps following the ledger past text Postgres cannot store (U+0000), storing U+FFFD instead', async () => {
    const logger = createLogger('silent');
    const events = new EventQueryRepository(db.pool);
    const record = {
      eventVersion: '1.08',
      eventID: 'nul-group-1',
      eventTime: '2026-11-20T10:00:00Z',
      eventSource: 'iam.amazonaws.com',
      eventName: 'AddUserToGroup',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.7',
      recipientAccountId: '111122223333',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/admin', accountId: '111122223333', userName: 'admin', principalId: 'AIDAADMIN' },
      requestParameters: { userName: 'nul-user', groupName: 'ops\u0000team' },
      responseElements: null,
    };
    const ingest = new IngestService(createLedgerEventStore(db.pool));
    const stored = await ingest.ingest([{ body: Buffer.from(JSON.stringify(record)), headers: {}, kafka: null }], { channel: 'cli', maxMessageBytes: 1 << 22 });
    expect(stored.appended).toBe(1);
    // A triage note written before the API refused control characters.
    const triage = anomalyTriagedEvent({ anomalyId: 'no-such-anomaly', status: 'resolved', note: 'fine\u0000', actor: 'okta:reviewer@example.com', at: '2026-11-20T11:00:00.000Z' }, 'someone', 1);
    await createLedgerEventStore(db.pool).append({ events: [prepareEvent({ ...triage, origin: { ...triage.origin, system: 'ledger' } })] });

    for (const projection of [subjectProfilesProjection, anomaliesProjection]) {
      await new ProjectionRunner(db.pool, events, projection, logger, 500).catchUp();
      const { rows } = await db.pool.query<{ position: number }>('SELECT position FROM ledger_reader_checkpoints WHERE reader = $1', [`projection:${projection.name}`]);
      const head = Number((await db.pool.query('SELECT next_position FROM ledger_head')).rows[0].next_position);
      expect(Number(rows[0]!.position), projection.name).toBe(head);
    }
    const { rows: groups } = await db.pool.query<{ group_name: string }>("SELECT group_name FROM projection_profile_memberships WHERE member LIKE '%nul-user'");
    expect(groups.map((g) => g.group_name)).toEqual(['ops\uFFFDteam']);
  });
});
