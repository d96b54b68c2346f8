export { evaluateLabelled, readLabelledCases, type LabelledCase, type LabelledCaseResult, type LabelledReport, type LabelledStatus } from './labelled.js';
export { evaluateStratus, routineHistory, STRATUS_EXPECTATIONS, type StratusExpectation, type StratusReport, type StratusResult } from './stratus.js';
export { evaluateGenerated, score, type GeneratedEvaluation, type GeneratedEvaluationOptions, type TypeScore } from './generated.js';
export { formatGeneratedEvaluation, formatLabelledReport, formatStratusReport } from './report.js';
