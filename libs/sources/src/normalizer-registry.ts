import { canonicalNormalizer } from './canonical/canonical.normalizer.js';
import { cloudEventsNormalizer } from './canonical/cloudevents.normalizer.js';
import { cloudTrailNormalizer } from './cloudtrail/cloudtrail.normalizer.js';
import { linuxAuthNormalizer } from './linux/linux-auth.normalizer.js';
import { ocsfNormalizer } from './ocsf/ocsf.normalizer.js';
import { oktaNormalizer } from './okta/okta.normalizer.js';
import { SOURCE_FORMATS, type SourceFormat } from './source-message.js';
import type { SourceNormalizer } from './source-normalizer.js';

/**
 * Every format, in detection order: the first normalizer whose `detects` accepts a record
 * handles it. CloudEvents comes first because its envelope (or headers) wraps a canonical
 * event; the canonical shape is checked before CloudTrail's. OCSF (`class_uid`) and Okta
 * (`eventType` with an `actor`, `uuid` or `published`) have keys of their own; JSON-wrapped
 * syslog lines come last because their keys (`message`, `host`) are the most generic. Raw
 * syslog lines are the only text format. A new format is one normalizer file plus one entry
 * here.
 */
export const NORMALIZERS: readonly SourceNormalizer[] = [
  cloudEventsNormalizer,
  canonicalNormalizer,
  cloudTrailNormalizer,
  ocsfNormalizer,
  oktaNormalizer,
  linuxAuthNormalizer,
];

/** Other spellings people use when declaring a format. */
const ALIASES: Readonly<Record<string, SourceFormat>> = {
  cloudtrail: 'aws-cloudtrail',
  'aws.cloudtrail': 'aws-cloudtrail',
  'okta-system-log': 'okta',
  syslog: 'linux-auth',
  'auth.log': 'linux-auth',
  'linux-auth-log': 'linux-auth',
  journald: 'linux-auth',
};

/** The format a declared name means (case-insensitive), or null when it names none. */
export function resolveFormatName(name: string): SourceFormat | null {
  const key = name.trim().toLowerCase();
  if ((SOURCE_FORMATS as readonly string[]).includes(key)) return key as SourceFormat;
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : null;
}
