import { storableJson } from './projection-runner.js';
import type { PoolClient, StoredEvent } from '#event-store';
import { identityFactsOf } from './identity-facts.js';
import { earliest, isLater, latest, type Stamp } from './ledger-order.js';
import type { PasswordPolicySettings } from '#domain';
import type { Projection } from './projection.js';
import * as sql from './account-posture.sql.js';

/**
 * Per AWS account: that the ledger knows it (events, first and last seen) and the password
 * policy in force. The rest of the posture (root keys, users without MFA, direct grants) is
 * read from the subject-profiles tables, so that a profile and its account never disagree.
 */
export interface AccountChange {
  account: string;
  events: number;
  firstSeen: string;
  lastSeen: string;
  /** The latest policy change in the batch: settings, or null when the policy was deleted. */
  passwordPolicy: (Stamp & { settings: PasswordPolicySettings | null; eventId: string }) | null;
}

const CLOUDTRAIL = 'aws-cloudtrail';

/** Pure: what a batch of events (in ledger order) changes per account. */
export function evolveAccountPosture(events: readonly StoredEvent[]): AccountChange[] {
  const accounts = new Map<string, AccountChange>();
  for (const { event, position } of events) {
    const account = event.origin.account;
    if (event.origin.system !== CLOUDTRAIL || account === null) continue;
    let change = accounts.get(account);
    if (!change) {
      change = { account, events: 0, firstSeen: event.time, lastSeen: event.time, passwordPolicy: null };
      accounts.set(account, change);
    }
    change.events++;
    change.firstSeen = earliest(change.firstSeen, event.time)!;
    change.lastSeen = latest(change.lastSeen, event.time)!;
    for (const fact of identityFactsOf(event)) {
      if (fact.kind !== 'password_policy') continue;
      const stamp = { at: event.time, position };
      if (isLater(stamp, change.passwordPolicy)) change.passwordPolicy = { ...stamp, settings: fact.settings, eventId: event.id };
    }
  }
  return [...accounts.values()];
}

export const accountPostureProjection: Projection<AccountChange[]> = {
  name: 'account-posture',
  tables: ['projection_account_posture'],
  evolve: evolveAccountPosture,
  async write(client: PoolClient, changes: AccountChange[]) {
    if (changes.length === 0) return;
    await client.query(sql.UPSERT_ACCOUNTS, [
      changes.map((c) => c.account),
      changes.map((c) => c.events),
      changes.map((c) => c.firstSeen),
      changes.map((c) => c.lastSeen),
      changes.map((c) => (c.passwordPolicy === null ? null : c.passwordPolicy.settings === null ? 'deleted' : 'set')),
      changes.map((c) => (c.passwordPolicy?.settings ? storableJson(c.passwordPolicy.settings) : null)),
      changes.map((c) => c.passwordPolicy?.at ?? null),
      changes.map((c) => c.passwordPolicy?.position ?? null),
      changes.map((c) => c.passwordPolicy?.eventId ?? null),
    ]);
  },
};
