import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createProducer } from '#messaging';
import { waitUntilConsumed } from '../../apps/ledger-cli/src/wait-for-ingest.js';
import { inputTopics, startTestLedger, type TestLedger } from '#test-support';

const BOB = 'arn:aws:iam::111111111111:user/bob';
const ROLE = 'arn:aws:iam::222222222222:role/deployer';

/** bob (account 1111...) assumes a role in account 2222... and acts through it. */
function assumeRole(eventID: string, accessKeyId: string, sessionName: string, time: string) {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: 'AIDABOB', arn: BOB, accountId: '111111111111', accessKeyId: 'AKIABOBBOBBOBBOB', userName: 'bob' },
    eventTime: time,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.20',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { roleArn: ROLE, roleSessionName: sessionName, durationSeconds: 3600 },
    responseElements: {
      credentials: { accessKeyId, sessionToken: 'x', expiration: 'Nov 2, 2026, 11:00:00 AM' },
      assumedRoleUser: { assumedRoleId: `AROADEPLOYER:${sessionName}`, arn: `arn:aws:sts::222222222222:assumed-role/deployer/${sessionName}` },
    },
    requestID: `req-${eventID}`,
    eventID,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111111111111',
    eventCategory: 'Management',
  };
}

function actAsRole(eventID: string, accessKeyId: string, sessionName: string, time: string) {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROADEPLOYER:${sessionName}`,
      arn: `arn:aws:sts::222222222222:assumed-role/deployer/${sessionName}`,
      accountId: '222222222222',
      accessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROADEPLOYER', arn: ROLE, accountId: '222222222222', userName: 'deployer' },
        attributes: { creationDate: time, mfaAuthenticated: 'false' },
      },
    },
    eventTime: time,
    eventSource: 's3.amazonaws.com',
    eventName: 'DeleteBucket',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.20',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { bucketName: 'audit-archive' },
    responseElements: null,
    requestID: `req-${eventID}`,
    eventID,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '222222222222',
    eventCategory: 'Management',
  };
}

describe('attribution through the credential chain, late re-attribution and the identity map', () => {
  let t: TestLedger;

  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ledger-idmap-'));
    const mapFile = join(folder, 'identity-map.json');
    writeFileSync(mapFile, JSON.stringify({ people: [{ id: 'bob', name: 'Bob Example', aliases: [BOB, 'okta:bob@example.com', 'linux:web-1:bob'] }] }));
    t = await startTestLedger({ databaseUrl: inject('databaseUrl'), kafkaBrokers: inject('kafkaBrokers') }, 'attribution', {
      LEDGER_IDENTITY_MAP: mapFile,
    });
  });
  afterAll(async () => t?.close());

  async function publish(...records: object[]) {
    const producer = createProducer(t.kafka);
    await producer.connect();
    await producer.send({ topic: t.config.kafka.topics.inputs.activity, messages: records.map((r) => ({ value: JSON.stringify(r) })) });
    await producer.disconnect();
    await waitUntilConsumed(t.kafka, t.ledger.runtime.store, t.config.kafka.consumerGroup, inputTopics(t.config), 60_000);
  }

  async function timeline(subject: string) {
    const response = await t.api(`/v1/subjects/${encodeURIComponent(subject)}/activity?limit=100`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Array<Record<string, any>> }).items;
  }

  it('attributes an action in another account to bob when his AssumeRole came first', async () => {
    await publish(assumeRole('ar-1', 'ASIAFIRSTKEY00001', 'deploy-1', '2026-11-02T10:00:00Z'));
    await publish(actAsRole('use-1', 'ASIAFIRSTKEY00001', 'deploy-1', '2026-11-02T10:05:00Z'));
    const action = (await timeline(BOB)).find((e) => e.id === 'use-1');
    expect(action).toBeDefined();
    expect(action!.actor).toMatchObject({ subject: BOB, attribution: 'credential_chain', via: ROLE });
    expect(action!.ledger.reattributed_from).toBeUndefined();
  });

  it('re-attributes an action stored before its AssumeRole arrived, and records that in the ledger', async () => {
    await publish(actAsRole('use-2', 'ASIALATEKEY000002', 'deploy-2', '2026-11-02T11:05:00Z'));
    const before = (await (await t.api(`/v1/events/use-2`)).json()) as Record<string, any>;
    expect(before.actor.attribution).toBe('unresolved');
    await publish(assumeRole('ar-2', 'ASIALATEKEY000002', 'deploy-2', '2026-11-02T11:00:00Z'));

    const action = (await timeline(BOB)).find((e) => e.id === 'use-2');
    expect(action).toBeDefined();
    expect(action!.actor).toMatchObject({ subject: BOB, attribution: 'credential_chain', via: ROLE });
    expect(action!.ledger.reattributed_from).toMatchObject({ attribution: 'unresolved' });
    // The ledger itself was appended to, never updated: the stored document is unchanged.
    const { rows } = await t.db.pool.query("SELECT document FROM ledger_events WHERE event_id = 'use-2'");
    expect(JSON.parse(rows[0].document).actor.attribution).toBe('unresolved');
    const record = (await timeline(BOB)).find((e) => e.type === 'identity.attribution.resolved' && e.target?.id === 'use-2');
    expect(record).toBeDefined();
  });

  it('flags a session name that claims someone else than the chain proves', async () => {
    await publish(assumeRole('ar-3', 'ASIACLAIMKEY00003', 'alice', '2026-11-02T12:00:00Z'));
    await publish(actAsRole('use-3', 'ASIACLAIMKEY00003', 'alice', '2026-11-02T12:01:00Z'));
    const action = (await timeline(BOB)).find((e) => e.id === 'use-3');
    expect(action!.actor).toMatchObject({ subject: BOB, attribution: 'credential_chain', session_name: 'alice', claim_contradicted: true });
    const honest = (await timeline(BOB)).find((e) => e.id === 'use-1');
    expect(honest!.actor.claim_contradicted).toBeUndefined();
  });

  it('answers for bob under any of his aliases, and records the identity map in the ledger', async () => {
    const viaOkta = await timeline('okta:bob@example.com');
    const viaArn = await timeline(BOB);
    expect(viaOkta.map((e) => e.id)).toEqual(viaArn.map((e) => e.id));
    expect(viaOkta.map((e) => e.id)).toEqual(expect.arrayContaining(['use-1', 'use-2', 'use-3']));
    const links = (await (await t.api(`/v1/events?action=${encodeURIComponent("ledger:LinkAlias")}`)).json()) as Record<string, any>;
    const profile = (await (await t.api(`/v1/subjects/${encodeURIComponent('linux:web-1:bob')}`)).json()) as Record<string, any>;
    expect(profile.person).toBe('bob');
    expect(profile.aliases.map((a: { subject: string }) => a.subject)).toEqual(['arn:aws:iam::111111111111:user/bob', 'bob', 'linux:web-1:bob', 'okta:bob@example.com']);
    const arn = profile.aliases.find((a: { subject: string }) => a.subject === BOB);
    expect(arn.events).toBe(viaArn.filter((e) => e.actor.subject === BOB).length);
    expect(links.items.map((e: { target: { id: string } }) => e.target.id).sort()).toEqual(['bob', BOB, 'linux:web-1:bob', 'okta:bob@example.com'].sort());
  });
});
