export * from './ledger-event.js';
export * from './domain-error.js';
export * from './topics.js';
export * from './password-policy.js';
export * from './storable-text.js';
