import { DomainError } from '#domain';

/**
 * Why a value has no canonical form. Stable strings: callers (the DLQ, the CLI) report them.
 */
export type CanonicalJsonErrorReason =
  | 'non_finite_number'
  | 'undefined_in_array'
  | 'unsupported_type'
  | 'cyclic_structure'
  | 'too_deep'
  | 'lone_surrogate'
  | 'duplicate_key_after_nfc';

/**
 * The value cannot be serialized canonically. Rejecting is deliberate: silently coercing
 * (as JSON.stringify does with NaN → null or Date → string) would let two different inputs
 * hash the same, or one input hash differently across versions.
 */
export class CanonicalJsonError extends DomainError {
  constructor(
    readonly reason: CanonicalJsonErrorReason,
    /** JSONPath-like location of the offending value, e.g. `$.actor.via[2]`. */
    readonly path: string,
    detail: string,
  ) {
    super('invalid_argument', `cannot canonicalize value at ${path}: ${detail}`, { reason, path });
  }
}

/** Why a Merkle proof failed to verify. Stable strings, reported verbatim to auditors. */
export type ProofFailureReason =
  | 'invalid_arguments'
  | 'malformed_hash'
  | 'proof_too_short'
  | 'proof_too_long'
  | 'root_mismatch'
  | 'first_root_mismatch'
  | 'second_root_mismatch'
  /** The proof is for a different tree size than the checkpoint it comes with. */
  | 'tree_size_mismatch'
  /** The event does not hash to the leaf hash the proof is about. */
  | 'leaf_hash_mismatch';

export class ProofVerificationError extends DomainError {
  constructor(
    readonly reason: ProofFailureReason,
    message: string,
  ) {
    super('integrity_violation', message, { reason });
  }
}

/** Why a signed note or checkpoint was not accepted. Stable strings, reported verbatim to auditors. */
export type SignedNoteErrorReason =
  | 'malformed'
  | 'unknown_key'
  | 'bad_signature'
  | 'key_not_valid_at_time'
  | 'missing_time'
  | 'origin_mismatch';

export class SignedNoteError extends DomainError {
  constructor(
    readonly reason: SignedNoteErrorReason,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    // A malformed note is bad input; everything else means the note cannot be trusted.
    super(reason === 'malformed' ? 'invalid_argument' : 'integrity_violation', message, { reason, ...details });
  }
}

/** A checkpoint was not accepted; `reason` says why. */
export class CheckpointError extends SignedNoteError {}

/** A proof or checkpoint in exchange (JSON) form does not have the documented shape. */
export class ProofFormatError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('invalid_argument', message, { field });
  }
}
