import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiKeyService, generateApiKey, SCOPES, type Scope } from '#access';
import { eventually, startTestLedger, stratusRecords, TEST_KEY_OWNER, type TestLedger } from '#test-support';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = resolve(ROOT, 'dist/apps/ledger-cli/src/main.js');
const BURST = 20;

type Json = Record<string, any>;

/**
 * DESIGN 8 and PCI DSS 10.2.1.3 through the running service: API keys as bearer tokens,
 * scopes, per-key rate limits, and every read of the ledger recorded in the ledger itself,
 * attributed to the key's owner.
 */
describe('API access: keys, scopes, rate limits, self-audit', () => {
  let t: TestLedger;
  const [first, second] = stratusRecords();
  const stratusSubject = () => t.db.pool.query('SELECT actor_subject FROM ledger_events WHERE event_id = $1', [first!.record.eventID]).then((r) => r.rows[0].actor_subject as string);

  beforeAll(async () => {
    t = await startTestLedger({ databaseUrl: inject('databaseUrl'), kafkaBrokers: inject('kafkaBrokers') }, 'api_access', {
      LEDGER_INGEST_ENABLED: 'false',
      LEDGER_RATE_LIMIT_PER_SECOND: '1',
      LEDGER_RATE_LIMIT_BURST: String(BURST),
    });
    const seeded = await t.api('/v1/events', { method: 'POST', body: `${first!.line}\n${second!.line}\n` });
    expect(await seeded.json()).toMatchObject({ appended: 2 });
  });
  afterAll(async () => t?.close());

  const withKey = (key: string | null, path: string, init: RequestInit = {}) =>
    fetch(`${t.ledger.url}${path}`, { ...init, headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...(init.headers as Json) } });

  async function expectProblem(response: Response, status: number, code: string): Promise<Json> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = (await response.json()) as Json;
    expect(body).toMatchObject({ status, code });
    return body;
  }

  it('keeps health, the OpenAPI document and its UI open, and documents bearer keys', async () => {
    expect((await fetch(`${t.ledger.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${t.ledger.url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${t.ledger.url}/docs`)).status).toBe(200);
    const openapi = (await (await fetch(`${t.ledger.url}/openapi.json`)).json()) as Json;
    expect(Object.values(openapi.components.securitySchemes)).toContainEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  });

  it('answers 401 with WWW-Authenticate: Bearer to no key, a malformed header, an unknown key, a wrong secret and a revoked key', async () => {
    const real = await t.createKey('okta:frank@example.com', ['events:read']);
    const wrongSecret = `lgr_${real.id}_${randomBytes(32).toString('base64url')}`;
    const cases: Array<[string, Record<string, string>]> = [
      ['no header', {}],
      ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['Bearer without a token', { authorization: 'Bearer' }],
      ['not a key', { authorization: 'Bearer not-a-key' }],
      ['hostile token', { authorization: "Bearer lgr_' OR '1'='1" }],
      ['unknown key', { authorization: `Bearer ${generateApiKey().key}` }],
      ['wrong secret', { authorization: `Bearer ${wrongSecret}` }],
    ];
    for (const [label, headers] of cases) {
      const response = await fetch(`${t.ledger.url}/v1/events`, { headers });
      const body = await expectProblem(response, 401, 'unauthenticated');
      expect(response.headers.get('www-authenticate'), label).toMatch(/^Bearer realm="ledger"/);
      expect(JSON.stringify(body), label).not.toContain(real.id);
    }
    expect((await withKey(real.key, '/v1/events?limit=1')).status).toBe(200);

    await t.ledger.app.get(ApiKeyService).revoke({ id: real.id, actor: 'local:e2e-security' });
    const revoked = await withKey(real.key, '/v1/events?limit=1');
    await expectProblem(revoked, 401, 'unauthenticated');
    expect(revoked.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('answers 403 naming the scope when a valid key lacks it, for every scope; admin implies all', async () => {
    const subject = encodeURIComponent(await stratusSubject());
    const endpoints: Array<{ scope: Scope; path: string; init?: RequestInit }> = [
      { scope: 'events:read', path: '/v1/events?limit=1' },
      { scope: 'events:read', path: `/v1/events/${first!.record.eventID}` },
      { scope: 'events:read', path: `/v1/subjects/${subject}/activity?limit=1` },
      { scope: 'ingest:write', path: '/v1/events', init: { method: 'POST', body: first!.line } },
    ];
    for (const scope of SCOPES) {
      const { key } = await t.createKey(`okta:scope-${scope.replace(':', '-')}@example.com`, [scope]);
      for (const endpoint of endpoints) {
        const response = await withKey(key, endpoint.path, endpoint.init);
        const label = `${scope} → ${endpoint.init?.method ?? 'GET'} ${endpoint.path}`;
        if (scope === endpoint.scope || scope === 'admin') {
          expect(response.status, label).toBe(200);
          await response.arrayBuffer();
        } else {
          const body = await expectProblem(response, 403, 'forbidden');
          expect(body.required_scope, label).toBe(endpoint.scope);
          expect(body.detail, label).toContain(endpoint.scope);
        }
      }
    }
  });

  it('limits each key: 429 with Retry-After once the burst is spent, other keys unaffected', async () => {
    const { key } = await t.createKey('okta:greedy@example.com', ['events:read']);
    for (let i = 0; i < BURST; i++) expect((await withKey(key, '/v1/events?limit=1')).status, `call ${i + 1}`).toBe(200);
    let limited: Response | null = null;
    for (let i = 0; i < 200 && !limited; i++) {
      const response = await withKey(key, '/v1/events?limit=1');
      if (response.status === 429) limited = response;
      else await response.arrayBuffer();
    }
    expect(limited, 'no 429 after the burst').not.toBeNull();
    await expectProblem(limited!, 429, 'rate_limited');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await t.api('/v1/events?limit=1')).status).toBe(200);
  });

  it("records every read, refusal and failure in the ledger, in the key owner's own timeline", async () => {
    const owner = `okta:auditor-${randomBytes(3).toString('hex')}@example.com`;
    const { id, key } = await t.createKey(owner, ['events:read']);
    const subject = await stratusSubject();
    const eventId: string = first!.record.eventID;
    const agent = { 'user-agent': 'ledger-e2e/1.0' };
    expect((await withKey(key, `/v1/subjects/${encodeURIComponent(subject)}/activity?limit=5`, { headers: agent })).status).toBe(200);
    expect((await withKey(key, `/v1/events/${eventId}`, { headers: agent })).status).toBe(200);
    expect((await withKey(key, '/v1/events/no-such-event', { headers: agent })).status).toBe(404);
    expect((await withKey(key, '/v1/events?action=iam%3ACreateUser&limit=3', { headers: agent })).status).toBe(200);
    expect((await withKey(key, '/v1/events', { method: 'POST', body: first!.line, headers: agent })).status).toBe(403);
    // The health check is no read of ledger data: not recorded.
    expect((await fetch(`${t.ledger.url}/health/live`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    await t.flushAudit();

    const timeline = await withKey(key, `/v1/subjects/${encodeURIComponent(owner)}/activity?limit=100`);
    expect(timeline.status).toBe(200);
    const items = ((await timeline.json()) as { items: Json[] }).items;
    const common = {
      category: 'activity',
      actor: { subject: owner, principal: `lgr_${id}`, kind: 'human', attribution: 'direct', credential_id: `lgr_${id}` },
      source: { ip: '127.0.0.1', user_agent: 'ledger-e2e/1.0' },
      origin: { system: 'ledger' },
    };
    expect(items.map((e) => [e.action, e.target?.id, e.outcome])).toEqual([
      ['ledger:GetSubjectActivity', subject, 'success'],
      ['ledger:GetEvent', eventId, 'success'],
      ['ledger:GetEvent', 'no-such-event', 'failure'],
      ['ledger:SearchEvents', 'GET /v1/events?action=iam%3ACreateUser&limit=3', 'success'],
      ['ledger:IngestEvents', 'POST /v1/events', 'failure'],
    ]);
    for (const item of items) expect(item).toMatchObject(common);
    expect(items.slice(0, 4).every((e) => e.type === 'activity.ledger_read')).toBe(true);
    expect(items[0]!.target.type).toBe('subject');
    expect(items[1]!.target.type).toBe('ledger_event');
    expect(items[2]!.outcome_reason).toContain('404');
    expect(items[4]).toMatchObject({ type: 'activity.ledger_write', outcome_reason: expect.stringContaining('ingest:write') });
    expect(new Set(items.map((e) => e.id)).size).toBe(items.length);
    expect(JSON.parse(items[3]!.raw)).toMatchObject({ method: 'GET', path: '/v1/events?action=iam%3ACreateUser&limit=3', status: 200, key: `lgr_${id}` });

    // Reading one's own timeline is a read too.
    await t.flushAudit();
    const after = ((await (await t.api(`/v1/subjects/${encodeURIComponent(owner)}/activity?limit=100`)).json()) as { items: Json[] }).items;
    expect(after.at(-1)).toMatchObject({ action: 'ledger:GetSubjectActivity', target: { type: 'subject', id: owner }, outcome: 'success' });

    // The harness key's reads land in its owner's timeline the same way.
    await t.flushAudit();
    const harness = await t.api(`/v1/events?subject=${encodeURIComponent(TEST_KEY_OWNER)}&action=${encodeURIComponent('ledger:GetSubjectActivity')}`);
    expect(((await harness.json()) as { items: Json[] }).items.length).toBeGreaterThanOrEqual(1);
  });

  it('records refused attempts: a revoked key under its owner, an unknown key under `unknown` with the key prefix', async () => {
    const owner = `okta:leaver-${randomBytes(3).toString('hex')}@example.com`;
    const gone = await t.createKey(owner, ['events:read']);
    await t.ledger.app.get(ApiKeyService).revoke({ id: gone.id, actor: 'local:e2e-security' });
    expect((await withKey(gone.key, '/v1/events?limit=1')).status).toBe(401);
    const stranger = generateApiKey();
    expect((await withKey(stranger.key, `/v1/events/${first!.record.eventID}`)).status).toBe(401);
    await t.flushAudit();

    const ownerTimeline = ((await (await t.api(`/v1/subjects/${encodeURIComponent(owner)}/activity`)).json()) as { items: Json[] }).items;
    expect(ownerTimeline).toEqual([
      expect.objectContaining({
        action: 'ledger:SearchEvents',
        outcome: 'failure',
        outcome_reason: expect.stringMatching(/^unauthenticated: .*revoked/),
        actor: expect.objectContaining({ subject: owner, principal: `lgr_${gone.id}` }),
      }),
    ]);
    const unknown = ((await (await t.api(`/v1/events?subject=unknown&principal=lgr_${stranger.id}`)).json()) as { items: Json[] }).items;
    expect(unknown).toEqual([
      expect.objectContaining({
        action: 'ledger:GetEvent',
        target: expect.objectContaining({ type: 'ledger_event', id: first!.record.eventID }),
        outcome: 'failure',
        actor: expect.objectContaining({ subject: 'unknown', kind: 'unknown', attribution: 'unresolved', credential_id: null }),
      }),
    ]);
    expect(JSON.stringify(unknown)).not.toContain(stranger.key.slice(`lgr_${stranger.id}_`.length));
  });

  it('never records a whole key that a client put in the query string, a path parameter or its user agent', async () => {
    const leaked = await t.createKey(`okta:careless-${randomBytes(3).toString('hex')}@example.com`, ['events:read']);
    const secret = leaked.key.slice(`lgr_${leaked.id}_`.length);
    expect((await withKey(null, `/v1/events?limit=1&access_token=${leaked.key}`)).status).toBe(401);
    await withKey(leaked.key, `/v1/events/${leaked.key}`, { headers: { 'user-agent': `script ${leaked.key}` } });
    await t.flushAudit();
    const { rows } = await t.db.pool.query<{ document: string }>("SELECT document FROM ledger_events WHERE origin_system = 'ledger' AND document LIKE $1", [`%lgr_${leaked.id}%`]);
    for (const row of rows) expect(row.document).not.toContain(secret);
    // the refused search and the read by path each left a record, with the key cut to its id
    expect(rows.filter((row) => row.document.includes(`lgr_${leaked.id}_[redacted]`)).length).toBeGreaterThanOrEqual(2);
  });

  it('creates, lists and revokes keys with the CLI, and the ledger records who did', async () => {
    expect(existsSync(CLI), 'run `npm run build` first (npm test does)').toBe(true);
    const cli = async (...args: string[]) => {
      const result = await promisify(execFile)(process.execPath, [CLI, ...args], {
        env: { ...process.env, DATABASE_URL: t.db.url, LOG_LEVEL: 'error' },
      }).catch((error: { code: number; stdout: string }) => ({ stdout: error.stdout, exitCode: error.code }));
      return { json: JSON.parse(result.stdout) as Json, exitCode: 'exitCode' in result ? result.exitCode : 0 };
    };
    const owner = 'okta:cli-user@example.com';
    const created = await cli('keys', 'create', '--json', '--owner', owner, '--scopes', 'events:read', '--actor', 'local:e2e-admin');
    expect(created.exitCode).toBe(0);
    expect(created.json).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{16}$/), key: expect.stringMatching(/^lgr_/), owner, scopes: ['events:read'] });
    const { id, key } = created.json as { id: string; key: string };
    expect((await withKey(key, '/v1/events?limit=1')).status).toBe(200);

    const listed = await cli('keys', 'list', '--json');
    expect(listed.json.keys).toContainEqual(expect.objectContaining({ id, owner, status: 'active', created_by: 'local:e2e-admin', revoked_at: null }));
    expect(JSON.stringify(listed.json)).not.toContain(key.slice(key.indexOf('_', 4) + 1));

    const revoked = await cli('keys', 'revoke', id, '--json', '--actor', 'local:e2e-admin');
    expect(revoked.json).toMatchObject({ id, owner, revoked_by: 'local:e2e-admin', already_revoked: false });
    // The service trusts a looked-up key for LEDGER_API_KEY_CACHE_MS (1 s by default).
    expect(await eventually(async () => ((await withKey(key, '/v1/events?limit=1')).status === 401 ? true : undefined), 30_000, 'revocation')).toBe(true);
    expect((await cli('keys', 'list', '--json')).json.keys).toContainEqual(expect.objectContaining({ id, status: 'revoked', revoked_by: 'local:e2e-admin' }));

    const history = ((await (await t.api(`/v1/events?target=lgr_${id}`)).json()) as { items: Json[] }).items;
    expect(history.map((e) => [e.type, e.actor.subject, e.target.name])).toEqual([
      ['identity.api_key.created', 'local:e2e-admin', owner],
      ['identity.api_key.revoked', 'local:e2e-admin', owner],
    ]);

    const bad = await cli('keys', 'create', '--json', '--owner', owner, '--scopes', 'events:read,everything');
    expect(bad.exitCode).toBe(1);
    expect(bad.json).toMatchObject({ error: { code: 'invalid_argument' } });
    const role = await cli('keys', 'create', '--json', '--owner', 'arn:aws:iam::111122223333:role/Admin', '--scopes', 'admin');
    expect(role.exitCode).toBe(1);
    expect(role.json.error.message).toMatch(/person, not a role/);
  });
});
