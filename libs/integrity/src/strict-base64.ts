import { SignedNoteError } from './integrity-errors.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 (RFC 4648 section 4, padded): Buffer.from alone accepts almost anything. */
export function decodeBase64(text: string, what: string): Buffer {
  if (!BASE64.test(text)) throw new SignedNoteError('malformed', `${what} is not standard padded base64`);
  const bytes = Buffer.from(text, 'base64');
  // Non-zero bits in the padding would let several texts decode to the same bytes.
  if (bytes.toString('base64') !== text) throw new SignedNoteError('malformed', `${what} is not canonical base64`);
  return bytes;
}
