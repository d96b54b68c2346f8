import type { ActorKind, Attribution, MfaStatus } from '#domain';
import type { DetectableEvent } from '../event-facts.js';
import { StaticGeoLookup } from '../geo/geo-lookup.js';

/**
 * Canonical events for given-events/then-anomalies tests. Documentation-range addresses
 * stand for places, with a fixed geo table (documentation ranges made public for it).
 */
export const PLACES = {
  berlin: '192.0.2.10', // DE, AS3320
  berlinOffice: '192.0.2.200', // DE, AS3209
  hetzner: '198.51.100.10', // DE, AS24940 Hetzner (hosting)
  saoPaulo: '203.0.113.10', // BR, AS28573
  london: '2001:db8:44::10', // GB, AS2856
  jakarta: '203.0.113.200', // ID, AS7713
} as const;

export const TEST_GEO = new StaticGeoLookup(
  [
    { cidr: '192.0.2.0/25', country: 'DE', asn: 3320, asOrg: 'Deutsche Telekom AG' },
    { cidr: '192.0.2.128/25', country: 'DE', asn: 3209, asOrg: 'Vodafone GmbH' },
    { cidr: '198.51.100.0/24', country: 'DE', asn: 24940, asOrg: 'Hetzner Online GmbH' },
    { cidr: '203.0.113.0/25', country: 'BR', asn: 28573, asOrg: 'Claro NXT Telecomunicacoes Ltda' },
    { cidr: '203.0.113.128/25', country: 'ID', asn: 7713, asOrg: 'Telekomunikasi Indonesia (PT)' },
    { cidr: '2001:db8:44::/48', country: 'GB', asn: 2856, asOrg: 'British Telecommunications PLC' },
  ],
  { documentationRangesArePublic: true },
);

export const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
export const EDGE_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0';
export const CLI_MAC = 'aws-cli/2.31.12 md/awscrt#0.27.6 ua/2.1 os/macos#24.6.0 md/arch#arm64 lang/python#3.13.7';
export const GO_SDK = 'aws-sdk-go-v2/1.32.3 ua/2.1 os/linux lang/go#1.23.2';

export const ALICE = 'arn:aws:iam::111122223333:user/alice';
export const BOB = 'arn:aws:iam::111122223333:user/bob';
export const ROOT = 'arn:aws:iam::111122223333:root';

export interface EventSpec {
  id: string;
  time: string | number;
  subject?: string;
  kind?: ActorKind;
  via?: string | null;
  attribution?: Attribution;
  sessionName?: string | null;
  action?: string;
  type?: string;
  category?: DetectableEvent['category'];
  outcome?: DetectableEvent['outcome'];
  ip?: string | null;
  service?: string | null;
  userAgent?: string | null;
  mfa?: MfaStatus | null;
  target?: DetectableEvent['target'];
  raw?: Record<string, unknown> | string;
  system?: string;
}

export function event(spec: EventSpec): DetectableEvent {
  const type = spec.type ?? 'activity.api_call';
  const time = typeof spec.time === 'number' ? new Date(spec.time).toISOString() : spec.time;
  return {
    schema_version: 'v1',
    id: spec.id,
    category: spec.category ?? (type.split('.')[0] as DetectableEvent['category']),
    type,
    time,
    actor: {
      subject: spec.subject ?? ALICE,
      principal: spec.subject ?? ALICE,
      kind: spec.kind ?? 'human',
      via: spec.via ?? null,
      attribution: spec.attribution ?? 'direct',
      credential_id: null,
      session_name: spec.sessionName ?? null,
    },
    authentication: spec.mfa === undefined || spec.mfa === null ? null : { factors: [{ type: 'knowledge', method: 'password' }], mfa: spec.mfa },
    action: spec.action ?? 'ec2:DescribeInstances',
    target: spec.target ?? null,
    outcome: spec.outcome ?? 'success',
    outcome_reason: spec.outcome === 'failure' ? 'AccessDenied' : null,
    source: { ip: spec.ip === undefined ? PLACES.berlin : spec.ip, service: spec.service ?? null, user_agent: spec.userAgent === undefined ? CLI_MAC : spec.userAgent, host: null, geo: null },
    origin: { system: spec.system ?? 'aws-cloudtrail', account: '111122223333', region: 'eu-west-1', kafka: null },
    raw: typeof spec.raw === 'string' ? spec.raw : spec.raw === undefined ? '' : JSON.stringify(spec.raw),
  };
}

const DAY = 86_400_000;

/**
 * An established subject: `days` weekdays of routine reads between 08:00 and 17:00 UTC from
 * `ip` with `userAgent`, ending the day before `until`.
 */
export function routine(options: { subject?: string; until: number; days?: number; ip?: string; userAgent?: string; perDay?: number; prefix?: string; via?: string | null }): DetectableEvent[] {
  const out: DetectableEvent[] = [];
  const days = options.days ?? 30;
  const perDay = options.perDay ?? 10;
  let n = 0;
  for (let d = days; d >= 1; d--) {
    const dayStart = Math.floor(options.until / DAY) * DAY - d * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let i = 0; i < perDay; i++) {
      out.push(
        event({
          id: `${options.prefix ?? 'r'}-${options.subject ?? ALICE}-${n++}`,
          time: dayStart + 8 * 3_600_000 + Math.floor((i * 9 * 3_600_000) / perDay),
          subject: options.subject,
          ip: options.ip ?? PLACES.berlin,
          userAgent: options.userAgent ?? CLI_MAC,
          action: ['ec2:DescribeInstances', 's3:ListBuckets', 'sts:GetCallerIdentity'][i % 3],
          via: options.via ?? null,
        }),
      );
    }
  }
  return out;
}

/** Engine options for tests: the fixed geo table, documentation ranges treated as public. */
export const TEST_OPTIONS = { geo: TEST_GEO, config: { publicIpPolicy: { documentationRangesArePublic: true } } } as const;
