import { anomaliesProjection } from '#anomalies';
import { accountPostureProjection, subjectProfilesProjection, subjectsProjection, type Projection } from '#projections';

/** Every projection the service keeps, by name (`ledger rebuild <name>`). */
export const PROJECTIONS: ReadonlyArray<Projection<any>> = [subjectsProjection, anomaliesProjection, subjectProfilesProjection, accountPostureProjection];
