export * from './canonical-json.js';
export * from './merkle.js';
export * from './subtree-cache.js';
export * from './signed-note.js';
export * from './checkpoint.js';
export * from './proof-json.js';
export * from './integrity-errors.js';
export * from './tile-frontier.js';
export * from './divergence.js';
// The store side: checkpoints, proofs and verification over the event store (type-only
// imports of #event-store, so no runtime cycle with it).
export * from './store/integrity-store-errors.js';
export * from './store/signing-key-files.js';
export * from './store/checkpointer.js';
export * from './store/ledger-proofs.js';
export * from './store/ledger-verifier.js';
export * from './store/ledger-integrity.js';
export { columnMismatches } from './store/event-columns.js';
