/** Injection tokens for values built outside Nest (see LedgerRuntime). */
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
export const LEDGER_RUNTIME = Symbol('LEDGER_RUNTIME');
export const ACCESS_POLICY = Symbol('ACCESS_POLICY');
