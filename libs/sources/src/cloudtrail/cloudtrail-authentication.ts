import type { Authentication, AuthenticationFactor, MfaStatus, Outcome } from '#domain';
import { isTrueish, objectField, stringField, type JsonObject } from '../json-value.js';
import type { CloudTrailIdentity } from './cloudtrail-identity.js';

/**
 * How the caller proved who it is. Console sign-ins report MFA in `MFAUsed` (trap 3); API
 * calls are signed with an access key, long-term (`AKIA`) or temporary (`ASIA`), and
 * temporary keys minted for a console session are marked `sessionCredentialFromConsole`
 * (trap 5): those are the console, not stolen keys.
 */
const password = (): AuthenticationFactor => ({ type: 'knowledge', method: 'password' });
const possession = (method: string): AuthenticationFactor => ({ type: 'possession', method });

export function cloudTrailAuthentication(
  record: JsonObject,
  eventName: string,
  servicePrefix: string,
  identity: CloudTrailIdentity,
  outcome: Outcome,
): Authentication | null {
  if (servicePrefix === 'signin' && eventName === 'ConsoleLogin') return consoleLogin(record, identity, outcome);
  if (servicePrefix === 'signin' && eventName === 'CheckMfa') {
    return { factors: [mfaFactor(record)], mfa: outcome === 'success' ? true : 'unknown' };
  }
  return signedRequest(record, identity);
}

function consoleLogin(record: JsonObject, identity: CloudTrailIdentity, outcome: Outcome): Authentication {
  const additional = objectField(record, 'additionalEventData');
  const used = stringField(additional, 'MFAUsed')?.trim().toLowerCase() ?? null;
  let mfa: MfaStatus;
  if (used === 'yes') mfa = true;
  else if (used !== 'no') mfa = 'unknown'; // absent or unrecognised: no claim either way
  else if (outcome === 'failure') mfa = 'unknown'; // the sign-in stopped before any MFA step
  else if (identity.federated) mfa = 'delegated'; // SAML/SSO: MFA is the identity provider's job
  else mfa = false;
  if (identity.federated) {
    // the factors were presented to the identity provider, which CloudTrail does not see
    return { factors: mfa === true ? [mfaFactor(record)] : [], mfa };
  }
  return { factors: mfa === true ? [password(), mfaFactor(record)] : [password()], mfa };
}

function signedRequest(record: JsonObject, identity: CloudTrailIdentity): Authentication | null {
  const ui = objectField(record, 'userIdentity');
  const keyId = stringField(ui, 'accessKeyId');
  const fromConsole = isTrueish(record.sessionCredentialFromConsole);
  if (keyId === null && !fromConsole) return null;
  const method = fromConsole ? 'console_session' : keyId!.startsWith('ASIA') ? 'temporary_access_key' : 'access_key';
  const attributes = objectField(objectField(ui, 'sessionContext'), 'attributes');
  const flag = attributes?.mfaAuthenticated;
  const directCredentials = identity.isRoot || identity.type === 'IAMUser';
  let mfa: MfaStatus;
  if (isTrueish(flag)) mfa = true;
  else if (!directCredentials) mfa = 'unknown'; // role sessions: MFA at an IdP or a parent session is not reported here
  else if (flag !== undefined && flag !== null) mfa = false;
  else mfa = method === 'access_key' ? false : 'unknown'; // a long-term key is a single factor by itself
  return { factors: [possession(method)], mfa };
}

/** CloudTrail names the MFA kind in `MfaType` on newer sign-in events. */
function mfaFactor(record: JsonObject): AuthenticationFactor {
  const kind = stringField(objectField(record, 'additionalEventData'), 'MfaType')?.toLowerCase() ?? '';
  let method = 'mfa';
  if (kind.includes('u2f') || kind.includes('fido') || kind.includes('security key') || kind.includes('passkey')) method = 'webauthn';
  else if (kind.includes('virtual') || kind.includes('totp')) method = 'totp';
  else if (kind.includes('hardware')) method = 'hardware_token';
  return possession(method);
}
