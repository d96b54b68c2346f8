/**
 * "Which fact is the latest" for state that a later event replaces (a group membership, a
 * key's status): the later event time wins, and of two events at the same time the one the
 * ledger stored later. Replaying in any batch size gives the same answer.
 */
export interface Stamp {
  at: string;
  position: number;
}

export function isLater(candidate: Stamp, current: Stamp | null | undefined): boolean {
  if (current === null || current === undefined) return true;
  const a = Date.parse(candidate.at);
  const b = Date.parse(current.at);
  return a > b || (a === b && candidate.position > current.position);
}

export function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

export function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
