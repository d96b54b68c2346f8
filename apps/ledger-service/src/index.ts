export { startLedger, type RunningLedger, type StartOptions } from './ledger-app.js';
export { LedgerRuntime } from './ledger-runtime.js';
export { PROJECTIONS } from './projections.registry.js';
