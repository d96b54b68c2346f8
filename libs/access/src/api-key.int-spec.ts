import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLedgerEventStore, IngestService } from '#ingestion';
import { createTestDatabase, type TestDatabase } from '#test-support';
import { UnauthenticatedError } from './access-errors.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { ApiKeyService } from './api-key.service.js';
import { AuditTrail } from './audit-trail.js';

describe('API keys and self-audit (real Postgres)', () => {
  let db: TestDatabase;
  let keys: ApiKeyService;
  let ingest: IngestService;

  beforeAll(async () => {
    db = await createTestDatabase(inject('databaseUrl'), 'api_keys');
    ingest = new IngestService(createLedgerEventStore(db.pool));
    keys = new ApiKeyService(new ApiKeyRepository(db.pool), ingest);
  });
  afterAll(async () => db?.drop());

  const ledgerEvent = async (id: string) => {
    const { rows } = await db.pool.query('SELECT document FROM ledger_events WHERE event_id = $1', [id]);
    return rows.map((row) => JSON.parse(row.document));
  };

  it('stores only the hash, and records the creation in the ledger with who created it', async () => {
    const created = await keys.create({ owner: 'okta:alice@example.com', scopes: ['events:read'], actor: 'local:ops' });
    const { rows } = await db.pool.query('SELECT * FROM ledger_api_keys WHERE id = $1', [created.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(created.key.split('_')[2]);
    expect(rows[0]).toMatchObject({ owner_subject: 'okta:alice@example.com', scopes: ['events:read'], created_by: 'local:ops', revoked_at: null });
    const [event] = await ledgerEvent(`ledger-api-key-created-${created.id}`);
    expect(event).toMatchObject({
      type: 'identity.api_key.created',
      actor: { subject: 'local:ops' },
      target: { type: 'api_key', id: `lgr_${created.id}`, name: 'okta:alice@example.com' },
      origin: { system: 'ledger' },
    });
    expect(event.raw).not.toContain(created.key);
  });

  it('authenticates the key, refuses a wrong secret as unknown, and a revoked key in its owner\'s name', async () => {
    const created = await keys.create({ owner: 'okta:bob@example.com', scopes: ['admin'], actor: 'local:ops' });
    expect(await keys.authenticate(created.key)).toEqual({ id: created.id, owner: 'okta:bob@example.com', scopes: ['admin'] });

    const forged = `${created.key.slice(0, -2)}${created.key.endsWith('AA') ? 'BB' : 'AA'}`;
    const wrong = await keys.authenticate(forged).catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(UnauthenticatedError);
    expect((wrong as UnauthenticatedError).attempt).toEqual({ subject: 'unknown', principal: `lgr_${created.id}`, keyId: null });

    const revoked = await keys.revoke({ id: `lgr_${created.id}`, actor: 'local:security' });
    expect(revoked).toMatchObject({ id: created.id, owner: 'okta:bob@example.com', revokedBy: 'local:security', alreadyRevoked: false });
    const refused = await keys.authenticate(created.key).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnauthenticatedError);
    expect((refused as UnauthenticatedError).message).toMatch(/revoked/);
    expect((refused as UnauthenticatedError).attempt).toEqual({ subject: 'okta:bob@example.com', principal: `lgr_${created.id}`, keyId: created.id });

    // Revoking again changes nothing and records nothing new.
    const again = await keys.revoke({ id: created.id, actor: 'local:someone-else' });
    expect(again).toMatchObject({ alreadyRevoked: true, revokedBy: 'local:security', revokedAt: revoked.revokedAt });
    const events = await ledgerEvent(`ledger-api-key-revoked-${created.id}`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'identity.api_key.revoked', actor: { subject: 'local:security' } });
  });

  it('refuses owners that are nobody in particular', async () => {
    for (const owner of ['', 'unknown', 'anonymous', 'arn:aws:iam::111122223333:role/Admin', 'arn:aws:sts::111122223333:assumed-role/Admin/x', 'a\u0000b']) {
      await expect(keys.create({ owner, scopes: ['events:read'], actor: 'local:ops' }), JSON.stringify(owner)).rejects.toMatchObject({ code: 'invalid_argument' });
    }
  });

  it('the database refuses widening, re-owning, un-revoking or deleting a key', async () => {
    const created = await keys.create({ owner: 'okta:carol@example.com', scopes: ['events:read'], actor: 'local:ops' });
    const refused = (statement: string) => expect(db.pool.query(statement, [created.id])).rejects.toThrow(/never change|stays revoked|never deleted/);
    await refused("UPDATE ledger_api_keys SET scopes = '{admin}' WHERE id = $1");
    await refused("UPDATE ledger_api_keys SET owner_subject = 'okta:mallory@example.com' WHERE id = $1");
    await refused('DELETE FROM ledger_api_keys WHERE id = $1');
    await keys.revoke({ id: created.id, actor: 'local:ops' });
    await refused('UPDATE ledger_api_keys SET revoked_at = NULL, revoked_by = NULL WHERE id = $1');
    const { rows } = await db.pool.query(
      `SELECT has_table_privilege('ledger_service', 'ledger_api_keys', 'INSERT') AS can_insert,
              has_column_privilege('ledger_service', 'ledger_api_keys', 'revoked_at', 'UPDATE') AS can_revoke,
              has_column_privilege('ledger_service', 'ledger_api_keys', 'last_used_at', 'UPDATE') AS can_touch`,
    );
    expect(rows[0]).toEqual({ can_insert: false, can_revoke: false, can_touch: true });
  });

  it('notes when keys were last used, in one batch', async () => {
    const created = await keys.create({ owner: 'okta:dave@example.com', scopes: ['events:read'], actor: 'local:ops' });
    await keys.authenticate(created.key);
    await keys.flushUsage();
    const { rows } = await db.pool.query('SELECT last_used_at FROM ledger_api_keys WHERE id = $1', [created.id]);
    expect(rows[0].last_used_at).toBeInstanceOf(Date);
  });

  it('appends self-audit records through ingestion, queryable in the owner\'s timeline', async () => {
    const trail = new AuditTrail((messages) => ingest.ingest(messages, { channel: 'ledger', maxMessageBytes: 1 << 20 }), { flushIntervalMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      trail.record({
        id: `int-${i}`,
        time: new Date().toISOString(),
        kind: 'read',
        caller: { subject: 'okta:erin@example.com', principal: 'lgr_0123456789abcdef', keyId: '0123456789abcdef', accountable: true },
        action: 'ledger:GetEvent',
        target: { type: 'ledger_event', id: `evt-\u0000-${i}` },
        outcome: 'success',
        reason: null,
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
        request: { method: 'GET', path: `/v1/events/evt-%00-${i}`, status: 200, requestId: `q${i}` },
      });
    }
    expect(await trail.close()).toBe(0);
    const { rows } = await db.pool.query(
      "SELECT event_id, action, target_id, source_ip::text AS ip FROM ledger_events WHERE actor_subject = 'okta:erin@example.com' ORDER BY position",
    );
    expect(rows).toEqual([0, 1, 2].map((i) => ({ event_id: `ledger-audit-int-${i}`, action: 'ledger:GetEvent', target_id: `evt-\uFFFD-${i}`, ip: '127.0.0.1/32' })));
    const rejected = await db.pool.query('SELECT count(*)::int AS n FROM ledger_rejections');
    expect(rejected.rows[0].n).toBe(0);
  });
});
