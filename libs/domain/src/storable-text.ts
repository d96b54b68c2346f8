// U+0000 (which PostgreSQL text and jsonb cannot hold) and lone surrogates (which are not
// Unicode text, and which canonical JSON refuses)
const UNSTORABLE = /[\u0000\ud800-\udfff]/;
const NUL = /\u0000/g;

/**
 * Text with NUL and lone surrogates replaced by U+FFFD; unchanged (and not copied) when
 * clean. Whatever sources, callers or the ledger's own records carry must stay storable:
 * one such character would otherwise fail a whole batch, or a projection forever.
 */
export function storableText(text: string): string {
  if (!UNSTORABLE.test(text)) return text;
  return (text.replace(NUL, '\ufffd') as string & { toWellFormed(): string }).toWellFormed();
}
