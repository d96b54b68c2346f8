import { isJsonObject } from '../json-value.js';
import { emit, type NormalizeContext, type RecordSink, type SourceNormalizer } from '../source-normalizer.js';
import { normalizeCanonicalEvent } from './canonical-event.js';

/** Canonical ledger events sent as they are (DESIGN 4): the format producers are asked to use. */
export const canonicalNormalizer: SourceNormalizer = {
  format: 'canonical',

  detects(value: unknown): boolean {
    if (!isJsonObject(value)) return false;
    return typeof value.schema_version === 'string' || (isJsonObject(value.actor) && typeof value.action === 'string' && typeof value.category === 'string');
  },

  normalize(value: unknown, raw: string, context: NormalizeContext, sink: RecordSink): void {
    emit(normalizeCanonicalEvent(value, raw, context), raw, sink);
  },
};
