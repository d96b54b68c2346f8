/**
 * IAM identities named the same way whichever record names them. A user, group or role ARN
 * may carry a path (`user/engineering/alice`, `role/aws-reserved/sso.amazonaws.com/...`), but
 * a record that only has a name (`AddUserToGroup {userName}`) cannot know it; names are
 * unique per account and kind, so facts are keyed by the path-less ARN.
 */
const IAM_ENTITY = /^arn:([^:]+):iam::([^:]*):(user|group|role)\/(?:.*\/)?([^/]+)$/;
const ROLE_ARN = /^arn:[^:]+:iam::[^:]*:role\//;
const USER_ARN = /^arn:[^:]+:iam::[^:]*:user\//;
const ROOT_ARN = /^arn:[^:]+:iam::[^:]*:root$/;

export type IamEntityKind = 'user' | 'group' | 'role';

/** `arn:aws:iam::1:user/team/alice` → `arn:aws:iam::1:user/alice`; anything else unchanged. */
export function canonicalIamArn(arn: string): string {
  const m = IAM_ENTITY.exec(arn);
  return m === null ? arn : `arn:${m[1]}:iam::${m[2]}:${m[3]}/${m[4]}`;
}

export function iamArn(partition: string, account: string, kind: IamEntityKind, name: string): string {
  return `arn:${partition}:iam::${account}:${kind}/${name}`;
}

export function rootArnOf(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:root`;
}

/** The name at the end of a user, group or role ARN (`role/service-role/x` → `x`). */
export function iamNameOf(arn: string): string | null {
  return IAM_ENTITY.exec(arn)?.[4] ?? null;
}

/** The account an IAM ARN belongs to, when it names one. */
export function iamAccountOf(arn: string): string | null {
  const m = /^arn:[^:]+:iam::(\d+):/.exec(arn);
  return m === null ? null : m[1]!;
}

export function partitionOf(arn: string | null | undefined): string {
  const m = typeof arn === 'string' ? /^arn:([^:]+):/.exec(arn) : null;
  return m === null ? 'aws' : m[1]!;
}

export const isRoleArn = (arn: string | null | undefined): arn is string => typeof arn === 'string' && ROLE_ARN.test(arn);
export const isIamUserArn = (arn: string | null | undefined): arn is string => typeof arn === 'string' && USER_ARN.test(arn);
export const isRootArn = (arn: string | null | undefined): arn is string => typeof arn === 'string' && ROOT_ARN.test(arn);

/**
 * Every key the profile facts of these subjects may be stored under: the subjects as given
 * and, for IAM users, their path-less ARN.
 */
export function profileKeysOf(subjects: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const subject of subjects) {
    const normalized = subject.normalize('NFC');
    keys.add(normalized);
    keys.add(canonicalIamArn(normalized));
  }
  return [...keys];
}
