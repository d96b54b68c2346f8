const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * One canonical form (NFC) for subject ids and names (trap 11): `José` typed on macOS (NFD)
 * and on Linux (NFC) must be one subject. ASCII is already NFC, so the common case skips the
 * normalization call.
 */
export function nfc(value: string): string {
  return NON_ASCII.test(value) ? value.normalize('NFC') : value;
}

export function nfcOrNull(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : nfc(value);
}
