import type { LedgerEvent } from '#domain';
import type { IssuedCredential } from './issued-credential.js';

/**
 * The event as the credential chain attributes it: to whoever obtained the temporary key,
 * acting through the role. The session name stays as what it is, an unverified claim, and
 * is marked when it names someone else (DESIGN 5.1: itself a finding).
 */
export function attributeThroughChain(event: LedgerEvent, credential: IssuedCredential, aliasesOfSubject: readonly string[] = []): LedgerEvent {
  // Only a session name the normalizer took for a person's name is a claim at all.
  const claim = event.actor.attribution === 'session_name_claim' ? (event.actor.session_name ?? null) : null;
  return {
    ...event,
    actor: {
      ...event.actor,
      subject: credential.subject,
      kind: credential.kind === 'root' ? 'root' : credential.kind === 'unknown' ? event.actor.kind : credential.kind,
      via: event.actor.via ?? credential.via,
      attribution: 'credential_chain',
      ...(claim !== null && claimContradicts(claim, credential.subject, aliasesOfSubject) ? { claim_contradicted: true } : {}),
    },
  };
}

/**
 * Whether a session-name claim names someone other than the subject. A claim is consistent
 * when it is the subject, one of the person's aliases, the subject's user name (the last
 * segment of an IAM ARN), or an e-mail whose local part is that user name. Tool-generated
 * session names (SDK defaults, instance ids, numbers) claim nobody and never contradict.
 */
export function claimContradicts(claim: string, subject: string, aliases: readonly string[] = []): boolean {
  const normalizedClaim = claim.normalize('NFC').toLowerCase();
  if (!looksLikePersonClaim(normalizedClaim)) return false;
  const names = new Set<string>();
  for (const id of [subject, ...aliases]) {
    const lower = id.normalize('NFC').toLowerCase();
    names.add(lower);
    const lastSegment = lower.split(/[/:]/).pop() ?? lower;
    names.add(lastSegment);
    const at = lastSegment.indexOf('@');
    if (at > 0) names.add(lastSegment.slice(0, at));
  }
  if (names.has(normalizedClaim)) return false;
  const at = normalizedClaim.indexOf('@');
  if (at > 0 && names.has(normalizedClaim.slice(0, at))) return false;
  return true;
}

const TOOL_SESSION = /^(aws-go-sdk-|aws-sdk-|boto|botocore-session-|terraform|i-[0-9a-f]{8,}$|\d+$|cli$|session$)/;

function looksLikePersonClaim(claim: string): boolean {
  return claim.length > 0 && !TOOL_SESSION.test(claim);
}
