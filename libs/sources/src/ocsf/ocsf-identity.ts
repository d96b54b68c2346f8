import type { Actor, ActorKind, Attribution, Target } from '#domain';
import { clipId } from '../event-limits.js';
import { integerField, objectField, stringField, textField, type JsonObject } from '../json-value.js';
import { nfc, nfcOrNull } from '../unicode.js';

/**
 * Who an OCSF record names (DESIGN 4 subject conventions). A user is identified as
 * `ocsf:<product>:<user>`, where `<product>` is `metadata.product.name` (else its vendor name)
 * lower-cased with spaces as dashes, and `<user>` the first of `email_addr`, `name`, `uid`,
 * `uid_alt`. An AWS ARN is used as it is, so that an IAM user's OCSF and native CloudTrail
 * events share one subject. A role session is never the subject's identity: it stays
 * unresolved, with the role in `via`.
 */
export interface OcsfSubject {
  actor: Actor;
  /** The user object the subject came from, if any (targets name the same user the same way). */
  user: JsonObject | null;
}

const ROLE_SESSION_TYPES = new Set(['assumedrole', 'role', 'rolesession']);
const SERVICE_TYPES = new Set(['system', 'service', 'serviceaccount', 'awsservice', 'application', 'app', 'machine', 'bot']);
const HUMAN_TYPES = new Set(['user', 'admin', 'iamuser', 'federateduser', 'samluser', 'identitycenteruser', 'person', 'human']);
const PRODUCT_KEY_MAX = 64;
const USER_NAME_KEYS = ['email_addr', 'name', 'uid', 'uid_alt'] as const;

/** `ocsf:<product>:` part of a subject, from the record's metadata. */
export function productKey(metadata: JsonObject | null): string {
  const product = objectField(metadata, 'product');
  const name = stringField(product, 'name') ?? stringField(product, 'vendor_name');
  if (name === null) return 'unknown';
  // colons would blur where the product ends and the user begins
  const key = nfc(name).trim().toLowerCase().replace(/[\s:]+/g, '-');
  return key === '' ? 'unknown' : clipId(key, PRODUCT_KEY_MAX);
}

/** The identifier a user is known by, per the convention above; null when the object names nobody. */
export function userIdentifier(user: JsonObject | null, product: string): string | null {
  if (user === null) return null;
  const arn = arnOf(user);
  if (arn !== null) return nfc(arn);
  const id = nameOf(user);
  return id === null ? null : `ocsf:${product}:${nfc(id)}`;
}

/** The first of email, name, uid and alternate uid that is not blank. */
function nameOf(user: JsonObject): string | null {
  for (const key of USER_NAME_KEYS) {
    const value = textField(user, key)?.trim();
    if (value) return value;
  }
  return null;
}

export function userTarget(user: JsonObject | null, product: string): Target | null {
  const id = userIdentifier(user, product);
  if (id === null) return null;
  return { type: 'ocsf:user', id, name: nfcOrNull(stringField(user, 'name') ?? stringField(user, 'email_addr')) };
}

/**
 * The accountable subject. `primary` is the user the class puts first (the user who
 * authenticates in Authentication and Authorize Session); otherwise the actor's user, then
 * the actor's process user, application, process or invoking service.
 */
export function resolveOcsfSubject(record: JsonObject, primary: JsonObject | null, product: string): OcsfSubject {
  const actor = objectField(record, 'actor');
  const session = objectField(actor, 'session');
  const process = objectField(actor, 'process');
  const user = named(primary) ?? named(objectField(actor, 'user')) ?? named(objectField(process, 'user'));
  const sessionIssuer = stringField(session, 'issuer');
  const invokedBy = stringField(actor, 'invoked_by');
  const credentialId = textField(user, 'credential_uid') ?? textField(session, 'credential_uid');

  if (user !== null) {
    const subject = userIdentifier(user, product)!;
    const principal = textField(user, 'uid') ?? arnOf(user) ?? stringField(user, 'name') ?? stringField(user, 'email_addr') ?? subject;
    const { kind, attribution } = userKind(user);
    const via = sessionIssuer ?? invokedBy;
    return { actor: build(subject, principal, kind, via, attribution, credentialId), user };
  }
  const app = [stringField(actor, 'app_name'), textField(actor, 'app_uid'), stringField(process, 'name'), invokedBy].map((v) => v?.trim()).find((v) => v);
  if (app !== undefined) {
    const subject = `ocsf:${product}:${nfc(app)}`;
    return { actor: build(subject, app, 'service', null, 'direct', credentialId), user: null };
  }
  return { actor: build(`ocsf:${product}:unidentified`, `ocsf:${product}:unidentified`, 'unknown', sessionIssuer, 'unresolved', credentialId), user: null };
}

function named(user: JsonObject | null): JsonObject | null {
  return user !== null && (arnOf(user) !== null || nameOf(user) !== null) ? user : null;
}

function userKind(user: JsonObject): { kind: ActorKind; attribution: Attribution } {
  const type = (stringField(user, 'type') ?? '').toLowerCase().replace(/[^a-z]/g, '');
  const typeId = integerField(user, 'type_id');
  // trap 4: the root user is a type or an ARN, never a user who happens to be called root
  const arn = arnOf(user);
  if (type === 'root' || (arn !== null && arn.endsWith(':root'))) return { kind: 'root', attribution: 'direct' };
  if (ROLE_SESSION_TYPES.has(type) || (arn !== null && arn.includes(':assumed-role/'))) return { kind: 'unknown', attribution: 'unresolved' };
  if (typeId === 3 || typeId === 4 || SERVICE_TYPES.has(type)) return { kind: 'service', attribution: 'direct' };
  if (typeId === 1 || typeId === 2 || HUMAN_TYPES.has(type)) return { kind: 'human', attribution: 'direct' };
  // a named user of no stated type: a person, as for a CloudTrail user name
  return { kind: 'human', attribution: 'direct' };
}

function arnOf(user: JsonObject): string | null {
  for (const key of ['uid', 'uid_alt']) {
    const value = stringField(user, key);
    if (value !== null && value.startsWith('arn:')) return value;
  }
  return null;
}

function build(subject: string, principal: string, kind: ActorKind, via: string | null, attribution: Attribution, credentialId: string | null): Actor {
  return {
    subject: nfc(subject),
    principal: nfc(principal),
    kind,
    via: nfcOrNull(via),
    attribution,
    credential_id: credentialId,
    session_name: null,
  };
}
