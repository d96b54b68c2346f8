export * from './ledger-event.dto.js';
export * from './integrity.dto.js';
