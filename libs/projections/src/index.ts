export type { Projection } from './projection.js';
export { ProjectionRunner } from './projection-runner.js';
export { subjectsProjection, evolveSubjects, type SubjectDelta } from './subjects.projection.js';
export { SubjectsRepository, type SubjectListItem } from './subjects.repository.js';
