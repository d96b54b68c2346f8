export { createTestDatabase, withDatabase, type TestDatabase } from './test-database.js';
export { resolveTestInfrastructure, type TestInfrastructure } from './infrastructure.js';
export { startTestLedger, ledgerTopicEnvironment, readTopic, eventually, inputTopics, TEST_KEY_OWNER, type TestLedger } from './test-ledger.js';
export { SHARED_DATA, sharedDataAvailable, stratusFiles, stratusRecords } from './shared-data.js';
export { testKeyFiles, syntheticEvent, appendSyntheticEvents } from './integrity-fixtures.js';
