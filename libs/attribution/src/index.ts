export { AttributionParticipant, ATTRIBUTION_RESOLVED_TYPE } from './attribution.participant.js';
export { IdentityRepository, type PersonAliases } from './identity.repository.js';
export { issuedCredentialOf, needsChainAttribution, type IssuedCredential } from './issued-credential.js';
export { attributeThroughChain, claimContradicts } from './chain-resolution.js';
export {
  parseIdentityMap,
  aliasEventsOf,
  aliasChangeOf,
  ALIAS_LINKED_TYPE,
  ALIAS_UNLINKED_TYPE,
  type IdentityMapFile,
} from './identity-map.js';
