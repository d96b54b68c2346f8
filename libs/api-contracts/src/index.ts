export * from './ledger-event.dto.js';
export * from './integrity.dto.js';
export * from './accountability.dto.js';
