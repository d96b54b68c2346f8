import { TIME } from '../detection-config.js';
import { draft, takeThrottle, type EventContext } from '../engine/detection-context.js';
import { actionName, claimContradicted, hostOf, isLinux, isLogin, linuxAccount, type DetectableEvent } from '../event-facts.js';
import { formatDuration, isoDay } from '../facts-format.js';

/**
 * Rules about how a subject got in: without MFA, straight into a shared root identity,
 * under a session name that claims someone else, after months of silence; root keys; and
 * privileged commands on hosts.
 */
export function accessRules(ctx: EventContext): void {
  const e = ctx.event;
  const action = actionName(e);
  if (isLogin(e) && ctx.success) {
    consoleLoginWithoutMfa(ctx);
    directRootLogin(ctx, action);
  }
  if (action === 'iam:CreateAccessKey' && ctx.success) rootAccessKey(ctx);
  if (e.type === 'activity.privileged_command' || (isLinux(e) && (action === 'sudo' || action === 'su'))) privilegedCommand(ctx, action);
  sessionNameMismatch(ctx);
  dormantAccount(ctx);
}

/** Trap 3: `delegated` (MFA at the IdP) and `unknown` (failed or unreported) are not "without MFA". */
function consoleLoginWithoutMfa(ctx: EventContext): void {
  const e = ctx.event;
  if (e.authentication?.mfa !== false || isLinux(e)) return;
  const root = e.actor.kind === 'root';
  const factors = e.authentication.factors.map((f) => f.method).join(', ') || 'none reported';
  draft(
    ctx,
    'console_login_without_mfa',
    root ? 'critical' : 'high',
    [e.id],
    [
      `${root ? 'the root user' : e.actor.subject} signed in to the console with a single factor (${factors})`,
      root ? 'the root user can do anything in the account and cannot be restricted by policies' : 'PCI DSS 8.4.2 requires MFA for all console access',
    ],
    { action: e.action, mfa: false, root },
  );
}

function directRootLogin(ctx: EventContext, action: string): void {
  const e = ctx.event;
  let how: string | null = null;
  if (e.actor.kind === 'root' && action === 'signin:ConsoleLogin') how = 'console sign-in as the account root user';
  else if (isLinux(e) && action !== 'su' && action !== 'sudo') {
    const account = linuxAccount(e.actor.subject) ?? (e.actor.kind === 'root' ? 'root' : null) ?? (e.target?.name === 'root' ? 'root' : null);
    if (account === 'root') how = `${/ssh/i.test(e.action) ? 'ssh' : 'login'} straight into root on ${hostOf(e) ?? 'a host'}`;
  }
  if (how === null) return;
  draft(ctx, 'direct_root_login', 'high', [e.id], [`${how}: a shared identity, so the person behind it is not recorded`, 'sign in as yourself and elevate (sudo, AssumeRoot) so that the action stays attributable'], {
    action: e.action,
    host: hostOf(e),
  });
}

function rootAccessKey(ctx: EventContext): void {
  const e = ctx.event;
  const forRoot = e.actor.kind === 'root' && (e.target === null || e.target.type === 'AWS::IAM::Root' || e.target.id.endsWith(':root'));
  if (!forRoot) return;
  draft(ctx, 'root_access_key_created', 'critical', [e.id], ['an access key was created for the root user: a long-term credential with unrestricted access to the account', 'AWS and CIS benchmarks: the root user should have no access keys'], {
    action: e.action,
    via: e.actor.via,
  });
}

const SHELLS = /(^|\/)(ba|z|k|c|tc|fi|da)?sh\b|\bsu\b|-i\b|-s\b/;

function privilegedCommand(ctx: EventContext, action: string): void {
  const e = ctx.event;
  if (!ctx.success) return;
  // DESIGN 7: sudo or su *to root*; running something as another service account is not root use
  const runAs = e.target !== null && e.target.id.startsWith('linux:') ? linuxAccount(e.target.id) : null;
  if (runAs !== null && runAs !== 'root') return;
  const command = e.target?.type === 'linux:run_as' ? (e.target.name ?? null) : (e.target?.name ?? null);
  const shell = action === 'su' || (command !== null && SHELLS.test(command));
  const host = hostOf(e) ?? 'a host';
  draft(ctx, 'privileged_command', shell ? 'medium' : 'low', [e.id], [
    shell ? `${e.actor.subject} opened a root shell on ${host}${command ? ` (${command})` : ''}` : `${e.actor.subject} ran a command as root on ${host}${command ? `: ${command}` : ''}`,
  ], { action: e.action, host, command });
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TOOL_SESSION = /^(aws-go-sdk-|aws-sdk-|boto|botocore-session-|terraform|i-[0-9a-f]{8,}$|\d+$|cli$|session$|console$|default$)/i;
const PERSON_LIKE = /^\p{L}[\p{L}'-]*(?:[._]\p{L}[\p{L}'-]*)*\d{0,3}$/u;

/** Whether a session-name claim names someone other than the verified subject. */
export function sessionNameContradicts(claim: string, subject: string): boolean {
  const c = claim.normalize('NFC').toLowerCase();
  if (TOOL_SESSION.test(c) || !(EMAIL.test(c) || PERSON_LIKE.test(c))) return false;
  const names = new Set<string>();
  const s = subject.normalize('NFC').toLowerCase();
  names.add(s);
  const last = s.split(/[/:]/).pop() ?? '';
  names.add(last);
  for (const n of [s, last]) {
    const at = n.indexOf('@');
    if (at > 0) names.add(n.slice(0, at));
  }
  if (names.has(c)) return false;
  const at = c.indexOf('@');
  return !(at > 0 && names.has(c.slice(0, at)));
}

const AWS_SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/i;
// roles that only AWS services assume: `role/service-role/...` (created for a service's
// execution role) and `role/aws-service-role/...` (service-linked roles)
const SERVICE_ROLE_PATH = /:role\/(aws-)?service-role\//;

/**
 * Whether a role session's credentials were issued to an AWS service rather than to a
 * person: the credential chain leads to a service principal (the AssumeRole was made by
 * `lambda.amazonaws.com`, `userIdentity.type` `AWSService`), or the role lives on a
 * service-role path. A call that a service forwards (`invokedBy` on the call itself, e.g.
 * CloudFormation acting with a person's session) does not count: the session is still the
 * person's.
 */
export function issuedToAwsService(event: DetectableEvent): boolean {
  const a = event.actor;
  if (a.kind === 'service' || AWS_SERVICE_PRINCIPAL.test(a.subject) || AWS_SERVICE_PRINCIPAL.test(a.principal)) return true;
  return SERVICE_ROLE_PATH.test(a.via ?? '') || SERVICE_ROLE_PATH.test(a.principal);
}

/** DESIGN 5.1: a claimed session name that contradicts the source identity or credential chain. */
function sessionNameMismatch(ctx: EventContext): void {
  const e = ctx.event;
  const claim = e.actor.session_name ?? null;
  if (claim === null) return;
  // role sessions only: a federation token's name (GetFederationToken) names the broker's
  // end user by design, so it differing from the issuing user is the normal case
  const roleSession = (e.actor.via ?? '').includes(':role/') || e.actor.principal.includes(':assumed-role/');
  if (!roleSession) return;
  // an AWS service (Lambda, ECS, Glue...) names the session after the function or task it
  // runs: the name claims nobody, whoever the credential chain leads to
  if (issuedToAwsService(e)) return;
  const verified = e.actor.attribution === 'source_identity' || e.actor.attribution === 'credential_chain';
  if (!claimContradicted(e) && !(verified && sessionNameContradicts(claim, e.actor.subject))) return;
  if (!takeThrottle(ctx.subject, `session-claim:${claim}:${e.actor.via ?? ''}`, ctx.t, 12 * TIME.HOUR)) return;
  const how = e.actor.attribution === 'source_identity' ? 'its source identity' : 'the credential chain';
  draft(ctx, 'role_session_name_mismatch', 'high', [e.id], [
    `the session is named "${claim}" but ${how} proves it belongs to ${e.actor.subject}`,
    'a session name is chosen by whoever assumes the role: a name that points at someone else shifts blame',
  ], { claim, via: e.actor.via, attribution: e.actor.attribution });
}

function dormantAccount(ctx: EventContext): void {
  const last = ctx.previousLastSeen;
  if (last === null || !ctx.success) return;
  const gap = ctx.t - last;
  if (gap < ctx.env.config.dormancyMs) return;
  const e = ctx.event;
  draft(ctx, 'dormant_account_used', isLogin(e) ? 'high' : 'medium', [e.id], [
    `no activity for ${formatDuration(gap)} (last seen ${isoDay(last)}) before this ${e.action}`,
    `accounts unused for ${formatDuration(ctx.env.config.dormancyMs)} should be disabled (PCI DSS 8.2.6)`,
  ], { idle_ms: gap, last_seen: new Date(last).toISOString() });
}
