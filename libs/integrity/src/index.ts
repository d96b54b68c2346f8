export * from './canonical-json.js';
export * from './merkle.js';
export * from './subtree-cache.js';
export * from './signed-note.js';
export * from './checkpoint.js';
export * from './proof-json.js';
export * from './integrity-errors.js';
