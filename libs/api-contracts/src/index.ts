export * from './ledger-event.dto.js';
