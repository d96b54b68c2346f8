export type { Projection } from './projection.js';
export { ProjectionRunner, rebuildTogether, storableJson } from './projection-runner.js';
export { subjectsProjection, evolveSubjects, type SubjectDelta } from './subjects.projection.js';
export { SubjectsRepository, type SubjectListItem } from './subjects.repository.js';
export { subjectProfilesProjection, evolveSubjectProfiles, type SubjectProfileChanges } from './subject-profiles.projection.js';
export { accountPostureProjection, evolveAccountPosture, type AccountChange } from './account-posture.projection.js';
export { AccountabilityRepository } from './accountability.repository.js';
export {
  composeSubjectProfile,
  composeAccountPosture,
  referenceTime,
  DORMANCY_DAYS,
  type SubjectProfileView,
  type AccountPostureView,
  type AccessKeyView,
} from './accountability-views.js';
export { identityFactsOf, type IdentityFact } from './identity-facts.js';
export { passwordPolicyGaps, passwordPolicyFromRequest, PASSWORD_POLICY_STANDARD, IAM_DEFAULT_PASSWORD_POLICY, type PasswordPolicySettings, type PasswordPolicyGap } from '#domain';
export { canonicalIamArn } from './iam-names.js';
