import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '#domain';
import { normalizeMessage } from '#sources';
import { SHARED_DATA } from '../../../test/support/shared-data.js';
import { attributeThroughChain, claimContradicts } from './chain-resolution.js';
import { aliasChangeOf, aliasEventsOf, parseIdentityMap } from './identity-map.js';
import { issuedCredentialOf, needsChainAttribution } from './issued-credential.js';

function normalizeLine(line: string): LedgerEvent {
  const [event] = normalizeMessage({ body: line }).events;
  return { ...event!, received_at: '2026-01-01T00:00:00.000Z' };
}

const stratus = (name: string) =>
  readFileSync(join(SHARED_DATA, 'cloudtrail/stratus', name), 'utf8')
    .split('\n')
    .filter(Boolean);

describe('issuedCredentialOf', () => {
  it('reads the temporary key an AssumeRole handed out, and who obtained it (real Stratus record)', () => {
    const line = stratus('aws.credential-access.ec2-get-password-data.ndjson').find((l) => l.includes('"eventName": "AssumeRole"'))!;
    const issued = issuedCredentialOf(normalizeLine(line));
    expect(issued).toMatchObject({
      credentialId: JSON.parse(line).responseElements.credentials.accessKeyId,
      subject: 'arn:aws:iam::457448411975:user/christophe',
      attribution: 'direct',
      kind: 'human',
    });
    expect(issued!.via).toMatch(/^arn:aws:sts::457448411975:assumed-role\/stratus-red-team-ec2-get-password-data-role\//);
  });

  it('ignores failed STS calls and other actions', () => {
    const line = stratus('aws.credential-access.ec2-get-password-data.ndjson').find((l) => l.includes('"eventName": "AssumeRole"'))!;
    const failed = { ...normalizeLine(line), outcome: 'failure' as const };
    expect(issuedCredentialOf(failed)).toBeNull();
    const other = stratus('aws.defense-evasion.cloudtrail-stop.ndjson')[0]!;
    expect(issuedCredentialOf(normalizeLine(other))).toBeNull();
  });
});

describe('credential-chain attribution', () => {
  const session: LedgerEvent = {
    ...normalizeLine(stratus('aws.defense-evasion.cloudtrail-stop.ndjson')[0]!),
  };
  const roleSession: LedgerEvent = {
    ...session,
    actor: {
      subject: 'arn:aws:sts::222:assumed-role/deployer/alice',
      principal: 'arn:aws:sts::222:assumed-role/deployer/alice',
      kind: 'human',
      via: 'arn:aws:iam::222:role/deployer',
      attribution: 'session_name_claim',
      credential_id: 'ASIAEXAMPLE',
      session_name: 'alice',
    },
  };
  const bobsKey = {
    credentialId: 'ASIAEXAMPLE',
    subject: 'arn:aws:iam::111:user/bob',
    attribution: 'direct' as const,
    kind: 'human' as const,
    via: 'arn:aws:sts::222:assumed-role/deployer/alice',
    sessionName: 'alice',
    issuedAt: '2026-11-02T10:00:00.000Z',
    expiresAt: null,
  };

  it('applies only to unresolved or merely claimed subjects signed with a key', () => {
    expect(needsChainAttribution(roleSession)).toBe(true);
    expect(needsChainAttribution({ ...roleSession, actor: { ...roleSession.actor, attribution: 'source_identity' } })).toBe(false);
    expect(needsChainAttribution({ ...roleSession, actor: { ...roleSession.actor, credential_id: null } })).toBe(false);
  });

  it('attributes to whoever obtained the key, keeps the role as via, and flags a contradicting claim', () => {
    const resolved = attributeThroughChain(roleSession, bobsKey);
    expect(resolved.actor).toMatchObject({
      subject: 'arn:aws:iam::111:user/bob',
      attribution: 'credential_chain',
      via: 'arn:aws:iam::222:role/deployer',
      session_name: 'alice',
      claim_contradicted: true,
    });
    const honest = attributeThroughChain({ ...roleSession, actor: { ...roleSession.actor, session_name: 'bob@example.com' } }, bobsKey);
    expect(honest.actor.claim_contradicted).toBeUndefined();
  });

  it.each([
    ['bob', false],
    ['BOB', false],
    ['bob@example.com', false],
    ['arn:aws:iam::111:user/bob', false],
    ['aws-go-sdk-1722375070115152000', false],
    ['i-0abc1234def567890', false],
    ['1722375070', false],
    ['alice', true],
    ['alice@example.com', true],
  ])('claim %s against bob contradicts: %s', (claim, expected) => {
    expect(claimContradicts(claim, 'arn:aws:iam::111:user/bob')).toBe(expected);
  });

  it('accepts a claim that is a known alias of the person', () => {
    expect(claimContradicts('robert.smith', 'arn:aws:iam::111:user/bob', ['okta:robert.smith@example.com'])).toBe(false);
  });
});

describe('identity map', () => {
  it('turns a map into one deterministic alias event per alias', () => {
    const map = parseIdentityMap(JSON.stringify({ people: [{ id: 'bob', aliases: ['arn:aws:iam::111:user/bob', 'okta:bob@example.com'] }] }));
    const first = aliasEventsOf(map, '2026-11-02T00:00:00.000Z', 'ledger:identity-map');
    const again = aliasEventsOf(map, '2026-11-03T00:00:00.000Z', 'ledger:identity-map');
    expect(first.map((e) => e.id)).toEqual(again.map((e) => e.id));
    expect(first.map((e) => e.target?.id)).toEqual(['bob', 'arn:aws:iam::111:user/bob', 'okta:bob@example.com']);
    expect(aliasChangeOf({ ...first[1]!, received_at: '2026-11-02T00:00:00.000Z' })).toEqual({
      alias: 'arn:aws:iam::111:user/bob',
      person: 'bob',
      linked: true,
    });
  });

  it('normalizes aliases to NFC so that one person is one person whatever the encoding', () => {
    const map = parseIdentityMap(JSON.stringify({ people: [{ id: 'rene', aliases: ['okta:rene\u0301@example.com'] }] }));
    const [, alias] = aliasEventsOf(map, '2026-11-02T00:00:00.000Z', 'x');
    expect(alias!.target!.id).toBe('okta:ren\u00e9@example.com');
  });

  it.each([
    ['not json', /not valid JSON/],
    ['{"people": [{"id": "x", "aliases": []}]}', /aliases/],
    ['{"people": [{"id": "a", "aliases": ["same"]}, {"id": "b", "aliases": ["same"]}]}', /listed for both a and b/],
  ])('refuses a bad map with a clear message: %s', (text, message) => {
    expect(() => parseIdentityMap(text)).toThrow(message);
  });
});
