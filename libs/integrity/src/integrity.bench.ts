import { randomBytes } from 'node:crypto';
import { bench, describe } from 'vitest';
import { canonicalBytes, canonicalJson } from './canonical-json.js';
import { MerkleAccumulator, leafHash } from './merkle.js';

/**
 * Throughput checks, not assertions: `npx vitest bench --run --project unit libs/integrity`.
 * Multiply hz by the batch size for per-item rates (leaves/s, objects/s).
 */

const LEAVES = 1_000_000;
const smallLeaves = randomBytes(LEAVES * 32);

/** A CloudTrail-derived ledger event of about 2 KB of canonical JSON, `raw` included. */
function typicalEvent(i: number): Record<string, unknown> {
  const raw = JSON.stringify({
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEID:alice@example.com',
      arn: `arn:aws:sts::111122223333:assumed-role/Admin/alice-${i}@example.com`,
      accountId: '111122223333',
      accessKeyId: 'ASIAEXAMPLEKEY12345',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: 'arn:aws:iam::111122223333:role/Admin' },
        attributes: { creationDate: '2025-01-01T10:00:00Z', mfaAuthenticated: 'true' },
        sourceIdentity: 'alice@example.com',
      },
    },
    eventTime: '2025-01-01T10:15:42Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'AttachUserPolicy',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.42',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22',
    requestParameters: { userName: 'bob', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    responseElements: null,
    requestID: '3b2f1a0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    eventID: `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  });
  return {
    schema_version: 'v1',
    id: `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`,
    category: 'authorization',
    type: 'authorization.policy.attached',
    time: '2025-01-01T10:15:42.000Z',
    received_at: '2025-01-01T10:16:03.512Z',
    actor: {
      subject: 'arn:aws:iam::111122223333:user/alice',
      principal: `arn:aws:sts::111122223333:assumed-role/Admin/alice-${i}@example.com`,
      kind: 'human',
      via: 'arn:aws:iam::111122223333:role/Admin',
      attribution: 'source_identity',
      credential_id: 'ASIAEXAMPLEKEY12345',
      session_name: `alice-${i}@example.com`,
    },
    authentication: { factors: [{ type: 'knowledge', method: 'password' }, { type: 'possession', method: 'totp' }], mfa: true },
    action: 'iam:AttachUserPolicy',
    target: { type: 'aws.iam.user', id: 'arn:aws:iam::111122223333:user/bob', name: 'bob' },
    outcome: 'success',
    outcome_reason: null,
    source: {
      ip: '203.0.113.42',
      service: null,
      user_agent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22',
      host: null,
      geo: { country: 'DE', asn: 64496, as_org: 'Example Networks GmbH' },
    },
    origin: {
      system: 'aws-cloudtrail',
      account: '111122223333',
      region: 'us-east-1',
      kafka: { topic: 'ledger.authorization', partition: 3, offset: String(1_000_000 + i) },
    },
    raw,
  };
}

const EVENTS = 10_000;
const events = Array.from({ length: EVENTS }, (_, i) => typicalEvent(i));
const eventBytes = events.map((event) => canonicalBytes(event));

describe('merkle', () => {
  bench(
    `leaf-hash + accumulate ${LEAVES} leaves of 32 bytes`,
    () => {
      const accumulator = new MerkleAccumulator();
      for (let i = 0; i < LEAVES; i++) accumulator.append(leafHash(smallLeaves.subarray(i * 32, i * 32 + 32)));
      accumulator.root();
    },
    { iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 },
  );

  bench(
    `leaf-hash + accumulate ${EVENTS} canonical events (~${Math.round(eventBytes[0].length / 100) / 10} KB each)`,
    () => {
      const accumulator = new MerkleAccumulator();
      for (const bytes of eventBytes) accumulator.append(leafHash(bytes));
      accumulator.root();
    },
    { iterations: 20, time: 0 },
  );
});

describe('canonical JSON', () => {
  bench(`canonicalJson of ${EVENTS} typical events`, () => {
    for (const event of events) canonicalJson(event);
  });

  bench(`canonicalBytes + leafHash of ${EVENTS} typical events`, () => {
    for (const event of events) leafHash(canonicalBytes(event));
  });

  bench(`baseline: JSON.stringify of ${EVENTS} typical events (unsorted, no NFC)`, () => {
    for (const event of events) JSON.stringify(event);
  });
});
