export type { Projection } from './projection.js';
export { ProjectionRunner } from './projection-runner.js';
export { subjectsProjection, evolveSubjects, type SubjectDelta } from './subjects.projection.js';
export { SubjectsRepository, type SubjectListItem } from './subjects.repository.js';

import { subjectsProjection } from './subjects.projection.js';
import type { Projection } from './projection.js';

/** Every projection the service keeps, by name (`ledger rebuild <name>`). */
export const PROJECTIONS: ReadonlyArray<Projection<any>> = [subjectsProjection];
