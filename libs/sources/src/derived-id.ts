import { createHash } from 'node:crypto';
import { contentHash } from '#integrity';

/**
 * An event id for a JSON record that carries none (OCSF without `metadata.uid`, an Okta event
 * stripped of its `uuid`, a CloudTrail record without `eventID`): a hash of the record's
 * canonical JSON, the same canonical form the store keys idempotency on, prefixed `sha256:` so
 * that a reader can tell it was derived. The same record delivered twice, however it was
 * spaced or ordered, gets the same id and is stored once; two different records never share one.
 */
export function contentDerivedId(record: unknown, raw: string): string {
  let digest: string;
  try {
    digest = contentHash(record).toString('hex');
  } catch {
    // values canonical JSON refuses (lone surrogates): the text itself still identifies the record
    digest = createHash('sha256').update(raw, 'utf8').digest('hex');
  }
  return `sha256:${digest.slice(0, 32)}`;
}

/** Short hex digest of text, for ids built from parts (Linux auth lines). */
export function textDigest(text: string, length = 16): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length);
}
