export { generateWorkload, streamWorkload, streamWorkloadJson, workloadSubjects, WORKLOAD_DEFAULTS } from './workload.js';
export { toNdjson, toCloudTrailDeliveryFiles, type CloudTrailDeliveryFile } from './delivery.js';
export { Prng, hashSeed, type SeedPart } from './prng.js';
export { COUNTRY_NETWORKS, AWS_NETWORKS, ATTACK_NETWORKS, HOSTING_NETWORKS, VACATION_NETWORKS, type CountryCode, type CountryNetworks } from './networks.js';
export {
  INCIDENT_KINDS,
  BASELINE_INCIDENT_KINDS,
  type CloudTrailRecord,
  type CloudTrailResource,
  type CloudTrailUserIdentity,
  type GeneratedWorkload,
  type IncidentKind,
  type SeededIncident,
  type StreamWorkloadOptions,
  type WorkloadOptions,
  type WorkloadSubject,
} from './workload.types.js';
