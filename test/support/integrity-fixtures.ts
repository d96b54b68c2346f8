import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerEvent } from '#domain';
import { EventStoreRepository, prepareEvent, type Pool } from '#event-store';

/** A fresh directory for one test's signing key and keyring (the env the service reads). */
export function testKeyFiles(label: string): { LEDGER_SIGNING_KEY_FILE: string; LEDGER_VERIFIER_KEYS_FILE: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), `ledger-keys-${label}-`));
  return { dir, LEDGER_SIGNING_KEY_FILE: join(dir, 'signing-key.json'), LEDGER_VERIFIER_KEYS_FILE: join(dir, 'verifier-keys.json') };
}

/** A canonical activity event, distinct per `n` (its source id, receipt time and raw record). */
export function syntheticEvent(n: number, overrides: Partial<LedgerEvent> = {}): LedgerEvent {
  const id = `evt-${String(n).padStart(8, '0')}`;
  const user = `arn:aws:iam::111122223333:user/user-${n % 17}`;
  const time = new Date(Date.UTC(2026, 10, 2, 8, 0, 0) + n * 1000).toISOString();
  return {
    schema_version: 'v1',
    id,
    category: 'activity',
    type: 'activity.api_call',
    time,
    received_at: time,
    actor: { subject: user, principal: user, kind: 'human', via: null, attribution: 'direct' },
    authentication: null,
    action: n % 3 === 0 ? 's3:GetObject' : 'iam:ListUsers',
    target: { type: 's3_object', id: `arn:aws:s3:::bucket/key-${n}` },
    outcome: 'success',
    outcome_reason: null,
    source: { ip: n % 2 ? '203.0.113.9' : '2001:db8::7', service: null, user_agent: 'aws-cli/2.15', host: null, geo: null },
    origin: { system: 'aws-cloudtrail', account: '111122223333', region: 'eu-west-1', kafka: null },
    raw: JSON.stringify({ eventID: id, eventName: 'GetObject', n }),
    ...overrides,
  } as LedgerEvent;
}

/** Appends synthetic events `from` .. `from + count - 1` through the real append path. */
export async function appendSyntheticEvents(pool: Pool, from: number, count: number, batch = 500): Promise<void> {
  const store = new EventStoreRepository(pool);
  for (let start = from; start < from + count; start += batch) {
    const events = [];
    for (let n = start; n < Math.min(from + count, start + batch); n++) events.push(prepareEvent(syntheticEvent(n)));
    await store.append({ events });
  }
}
