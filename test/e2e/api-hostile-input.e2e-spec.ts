import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestLedger, stratusRecords, type TestLedger } from '#test-support';

type Json = Record<string, any>;

/** Hostile values as they go into the URL (already percent-encoded where needed). */
const HOSTILE: Array<[string, string]> = [
  ['sql quote', encodeURIComponent("x' OR '1'='1")],
  ['sql comment', encodeURIComponent("1; DROP TABLE ledger_events; --")],
  ['sql union', encodeURIComponent("' UNION SELECT document FROM ledger_events --")],
  ['NUL byte', '%00'],
  ['NUL inside', 'a%00b'],
  ['encoded percent-zero', encodeURIComponent('%00')],
  ['path traversal', encodeURIComponent('../../etc/passwd')],
  ['double-encoded traversal', encodeURIComponent('..%2F..%2Fetc%2Fpasswd')],
  ['very long', 'x'.repeat(5000)],
  ['long unicode', encodeURIComponent('é😀'.repeat(600))],
  ['URL over the header limit', 'x'.repeat(20_000)],
  ['unicode controls', encodeURIComponent('Ω\u202egnp.exe\u200b\u0007')],
  ['invalid UTF-8', '%FF%FE'],
  ['encoded lone surrogate', '%ED%A0%80'],
  ['JSON object', encodeURIComponent('{"$ne":null}')],
  ['JSON array', encodeURIComponent('[1,2,3]')],
  ['markup', encodeURIComponent('<script>alert(1)</script>')],
  ['template', encodeURIComponent('${jndi:ldap://example.invalid/a}')],
  ['numbers', encodeURIComponent('-1e309')],
  ['NaN', 'NaN'],
  ['blank', '%20'],
  ['empty', ''],
];

/**
 * DESIGN 10 "API: bad input 400/413, no injection": every documented parameter of every
 * endpoint in /openapi.json gets every hostile value. The answer is a 4xx naming the field,
 * or a result that contains none of the ledger's events: never a 500, never everything.
 */
describe('hostile values in every documented parameter', () => {
  let t: TestLedger;
  let openapi: Json;
  const [first, second] = stratusRecords();
  let knownSubject = '';

  beforeAll(async () => {
    t = await startTestLedger({ databaseUrl: inject('databaseUrl'), kafkaBrokers: inject('kafkaBrokers') }, 'hostile', {
      LEDGER_INGEST_ENABLED: 'false',
      LEDGER_RATE_LIMIT_PER_SECOND: '0',
      LEDGER_HTTP_BODY_LIMIT_BYTES: '65536',
    });
    const seeded = await t.api('/v1/events', { method: 'POST', body: `${first!.line}\n${second!.line}\n` });
    expect(await seeded.json()).toMatchObject({ appended: 2 });
    const { rows } = await t.db.pool.query("SELECT actor_subject FROM ledger_events WHERE origin_system <> 'ledger' LIMIT 1");
    knownSubject = rows[0].actor_subject;
    openapi = (await (await fetch(`${t.ledger.url}/openapi.json`)).json()) as Json;
  });
  afterAll(async () => t?.close());

  /** A valid value for a path parameter that is not the one under attack. */
  function placeholder(name: string): string {
    if (name === 'subject') return encodeURIComponent(knownSubject);
    if (name === 'id') return encodeURIComponent(first!.record.eventID);
    return 'x';
  }

  it('answers each with 4xx naming the field or a result without ledger data, never 5xx', async () => {
    const checked: string[] = [];
    for (const [template, operations] of Object.entries(openapi.paths as Json)) {
      for (const [method, operation] of Object.entries(operations as Json)) {
        const parameters = ((operation as Json).parameters ?? []) as Array<{ name: string; in: string; required?: boolean; example?: unknown; schema?: Json }>;
        for (const parameter of parameters.filter((p) => p.in === 'query' || p.in === 'path')) {
          for (const [label, value] of HOSTILE) {
            if (parameter.in === 'path' && value === '') continue; // that is another route
            let path = template.replace(/\{(\w+)\}/g, (_, name: string) => (name === parameter.name && parameter.in === 'path' ? value : placeholder(name)));
            // Other required query parameters get plausible values, so that the hostile one is what is judged.
            const others = parameters.filter((p) => p.in === 'query' && p.required && p.name !== parameter.name);
            const query = others.map((p) => `${p.name}=${encodeURIComponent(String(p.example ?? p.schema?.example ?? p.schema?.default ?? '1'))}`);
            if (parameter.in === 'query') query.push(`${parameter.name}=${value}`);
            if (query.length) path += `?${query.join('&')}`;
            const what = `${method.toUpperCase()} ${template} ${parameter.in} ${parameter.name} = ${label}`;
            const init: RequestInit = { method: method.toUpperCase() };
            if (method === 'post') Object.assign(init, { body: template === '/v1/events' ? first!.line : '{}', headers: { 'content-type': 'application/json' } });
            const response = await t.api(path, init);
            const text = await response.text();
            expect(response.status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500);
            checked.push(what);
            // Node refuses request heads over 16 KiB before any application code runs.
            if (response.status === 431) continue;
            if (response.status >= 400) {
              expect(response.headers.get('content-type'), what).toContain('application/problem+json');
              const problem = JSON.parse(text) as Json;
              expect(problem.code, what).toEqual(expect.any(String));
              // A path segment that is not valid percent-encoded UTF-8 is refused by the router
              // while decoding, before any parameter has a name.
              const undecodable = parameter.in === 'path' && /Failed to decode param/.test(String(problem.detail));
              // A placeholder for another required parameter may itself be refused; that is fine too.
              const placeholderRefused = others.some((p) => p.name === problem.field);
              if (response.status === 400 && method === 'get' && !undecodable && !placeholderRefused) expect(problem.field, what).toBe(parameter.name);
              continue;
            }
            const body = JSON.parse(text) as Json;
            if (Array.isArray(body.items)) {
              // Only the ledger's own records (e.g. this sweep's self-audit) may match a hostile value.
              const leaked = body.items.filter((item: Json) => item.origin?.system !== 'ledger');
              expect(leaked, what).toEqual([]);
            }
            if (method === 'post' && template === '/v1/events') expect(body.appended, what).toBe(0);
          }
        }
      }
    }
    // The sweep must have reached the parameters the contract documents (DESIGN 8).
    for (const expected of [
      'GET /v1/events query subject',
      'GET /v1/events query source_ip',
      'GET /v1/events query cursor',
      'GET /v1/events/{id} path id',
      'GET /v1/subjects/{subject}/activity path subject',
      'GET /v1/subjects/{subject}/activity query from',
      'POST /v1/events query format',
    ]) {
      expect(checked.some((c) => c.startsWith(`${expected} =`)), expected).toBe(true);
    }
    // ... and the ledger's data is intact.
    const { rows } = await t.db.pool.query("SELECT count(*)::int AS n FROM ledger_events WHERE origin_system <> 'ledger'");
    expect(rows[0].n).toBe(2);
  });

  it('refuses parameters given twice or unknown, naming them', async () => {
    const twice = await t.api('/v1/events?subject=a&subject=b');
    expect(twice.status).toBe(400);
    expect(await twice.json()).toMatchObject({ code: 'invalid_argument', field: 'subject' });
    const unknown = await t.api('/v1/events?subject[$ne]=x');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: 'invalid_argument', field: 'subject[$ne]' });
  });

  it('refuses a date that is not in the calendar and a range that ends before it starts, naming the field', async () => {
    const rolled = await t.api('/v1/events?from=2026-02-30T00:00:00Z');
    expect(rolled.status).toBe(400);
    expect(await rolled.json()).toMatchObject({ code: 'invalid_argument', field: 'from' });
    const backwards = await t.api('/v1/events?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z');
    expect(backwards.status).toBe(400);
    expect(await backwards.json()).toMatchObject({ code: 'invalid_argument', field: 'from' });
    const anomalies = await t.api('/v1/anomalies?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z');
    expect(anomalies.status).toBe(400);
    expect((await t.api('/v1/events?from=2024-02-29T00:00:00Z&to=2024-03-01T00:00:00Z')).status).toBe(200);
  });

  it('finds an IPv4 source searched in its IPv4-mapped IPv6 form, as sources store it folded', async () => {
    const ip = first!.record.sourceIPAddress as string;
    const plain = (await (await t.api(`/v1/events?source_ip=${ip}`)).json()) as { items: Json[] };
    expect(plain.items.length).toBeGreaterThan(0);
    const mapped = (await (await t.api(`/v1/events?source_ip=${encodeURIComponent(`::ffff:${ip}`)}`)).json()) as { items: Json[] };
    expect(mapped.items.map((e) => e.id)).toEqual(plain.items.map((e) => e.id));
  });

  it('answers 413 to a body over the limit and 404 to an unknown subject', async () => {
    const big = await t.api('/v1/events', { method: 'POST', body: `{"Records":[{"pad":"${'x'.repeat(70_000)}"}]}` });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'payload_too_large' });
    const nobody = await t.api(`/v1/subjects/${encodeURIComponent('arn:aws:iam::111122223333:user/nobody')}/activity`);
    expect(nobody.status).toBe(404);
    expect(await nobody.json()).toMatchObject({ code: 'not_found' });
  });
});
