export { loadConfig, ConfigError, type LedgerConfig } from './ledger-config.js';
