import type { MerkleLogRepository } from '#event-store';
import type { Logger } from '#logging';
import { Checkpointer } from './checkpointer.js';
import { LedgerProofs } from './ledger-proofs.js';
import { type VerificationReport, verifyLedger } from './ledger-verifier.js';
import { type KeyWindow, SigningKeyFiles } from './signing-key-files.js';

export interface LedgerIntegritySettings {
  /** The log's identity (checkpoint origin, name of new signing keys). */
  origin: string;
  signingKeyFile: string;
  verifierKeysFile: string;
  maxLeavesPerPass?: number;
}

/**
 * The integrity use cases behind the API and the CLI: checkpoints, proofs, verification and
 * the signing key, over one Merkle log repository.
 */
export class LedgerIntegrity {
  readonly keys: SigningKeyFiles;
  readonly checkpointer: Checkpointer;
  readonly proofs: LedgerProofs;
  #running: Promise<VerificationReport> | null = null;

  constructor(
    private readonly repository: MerkleLogRepository,
    readonly settings: LedgerIntegritySettings,
    logger?: Logger,
  ) {
    this.keys = new SigningKeyFiles(
      { signingKeyFile: settings.signingKeyFile, verifierKeysFile: settings.verifierKeysFile, keyName: settings.origin },
      logger ?? undefined,
    );
    this.checkpointer = new Checkpointer(repository, this.keys, { origin: settings.origin, maxLeavesPerPass: settings.maxLeavesPerPass, logger });
    this.proofs = new LedgerProofs(repository);
  }

  /**
   * Verifies the whole ledger against `trustedKeys` (default: this instance's keyring). A
   * verification already running with the default keys is joined rather than repeated.
   */
  async verify(
    options: { trustedKeys?: KeyWindow[]; heldCheckpoints?: string[]; onProgress?: (read: number, head: number) => void } = {},
  ): Promise<VerificationReport> {
    const run = () =>
      verifyLedger(this.repository, {
        origin: this.settings.origin,
        trustedKeys: options.trustedKeys ?? this.keys.trustedKeys(),
        heldCheckpoints: options.heldCheckpoints,
        onProgress: options.onProgress,
      });
    if (options.trustedKeys || options.heldCheckpoints || options.onProgress) return run();
    this.#running ??= run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** The signing keys as the ledger publishes them (its database copy), oldest first. */
  async publishedKeys(): Promise<KeyWindow[]> {
    const records = await this.repository.keyRecords();
    return records
      .map((r) => ({
        name: r.keyName,
        key_id: r.keyId,
        vkey: r.vkey,
        not_before: r.notBefore.toISOString(),
        not_after: r.notAfter ? r.notAfter.toISOString() : null,
      }))
      .sort((a, b) => a.not_before.localeCompare(b.not_before));
  }
}
