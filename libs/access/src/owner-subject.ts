import { InvalidArgumentError } from '#domain';

const RESERVED = new Set(['unknown', 'anonymous']);

/**
 * A key's owner must be an accountable subject (a person, in the ledger's subject id
 * conventions), because every read with the key is attributed to it. A role is nobody in
 * particular, and the names the self-audit uses for unattributed callers are taken.
 */
export function validateOwnerSubject(value: string, field = 'owner'): string {
  const owner = value.trim().normalize('NFC');
  if (owner.length === 0) throw new InvalidArgumentError(field, 'the owner is required: the accountable person the key acts for');
  if (owner.length > 1024) throw new InvalidArgumentError(field, 'the owner is longer than 1024 characters');
  if (/[\u0000-\u001f\u007f]/.test(owner)) throw new InvalidArgumentError(field, 'the owner contains control characters');
  if (RESERVED.has(owner.toLowerCase())) throw new InvalidArgumentError(field, `"${owner}" is reserved for unattributed callers`);
  if (/^arn:aws[a-z-]*:(iam|sts)::[^:]*:(role|assumed-role)\//.test(owner)) {
    throw new InvalidArgumentError(field, 'the owner must be a person, not a role: name the subject accountable for the key');
  }
  return owner;
}
