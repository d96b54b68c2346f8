import type { EventCategory } from '#domain';

/**
 * OCSF 1.x event classes the ledger reads: the IAM category (3001-3008) and API Activity
 * (6003). Each activity maps to one canonical type; the category comes from the type, so an
 * Account Change that attaches a policy is `authorization`, one that disables MFA `identity`.
 * Types match those of the other sources where the meaning is the same
 * (`identity.user.created`, `authorization.policy.attached`, `authentication.login`).
 */
export interface OcsfClass {
  name: string;
  /** activity_id → [caption, canonical type] */
  activities: Readonly<Record<number, readonly [string, string]>>;
  /** The type of activity 0 (Unknown), 99 (Other) and ids this table does not know. */
  otherType: string;
}

export const OCSF_CLASSES: Readonly<Record<number, OcsfClass>> = {
  3001: {
    name: 'Account Change',
    activities: {
      1: ['Create', 'identity.user.created'],
      2: ['Enable', 'identity.user.enabled'],
      3: ['Password Change', 'identity.password.changed'],
      4: ['Password Reset', 'identity.password.reset'],
      5: ['Disable', 'identity.user.disabled'],
      6: ['Delete', 'identity.user.deleted'],
      7: ['Attach Policy', 'authorization.policy.attached'],
      8: ['Detach Policy', 'authorization.policy.detached'],
      9: ['Lock', 'identity.user.locked'],
      10: ['MFA Factor Enable', 'identity.mfa.enabled'],
      11: ['MFA Factor Disable', 'identity.mfa.disabled'],
      12: ['Unlock', 'identity.user.unlocked'],
    },
    otherType: 'identity.account.changed',
  },
  3002: {
    name: 'Authentication',
    activities: {
      1: ['Logon', 'authentication.login'],
      2: ['Logoff', 'authentication.logout'],
      3: ['Authentication Ticket', 'authentication.ticket_requested'],
      4: ['Service Ticket Request', 'authentication.service_ticket_requested'],
      5: ['Service Ticket Renew', 'authentication.service_ticket_renewed'],
      6: ['Preauth', 'authentication.preauth'],
      7: ['Account Switch', 'authentication.account_switched'],
    },
    otherType: 'authentication.other',
  },
  3003: {
    name: 'Authorize Session',
    activities: {
      1: ['Assign Privileges', 'authorization.session.privileges_assigned'],
      2: ['Assign Groups', 'authorization.session.groups_assigned'],
    },
    otherType: 'authorization.session.other',
  },
  3004: {
    name: 'Entity Management',
    activities: {
      1: ['Create', 'identity.entity.created'],
      2: ['Read', 'identity.entity.read'],
      3: ['Update', 'identity.entity.updated'],
      4: ['Delete', 'identity.entity.deleted'],
      5: ['Move', 'identity.entity.moved'],
      6: ['Enroll', 'identity.entity.enrolled'],
      7: ['Unenroll', 'identity.entity.unenrolled'],
      8: ['Enable', 'identity.entity.enabled'],
      9: ['Disable', 'identity.entity.disabled'],
      10: ['Activate', 'identity.entity.activated'],
      11: ['Deactivate', 'identity.entity.deactivated'],
      12: ['Suspend', 'identity.entity.suspended'],
      13: ['Resume', 'identity.entity.resumed'],
    },
    otherType: 'identity.entity.other',
  },
  3005: {
    name: 'User Access Management',
    activities: {
      1: ['Assign Privileges', 'authorization.privilege.granted'],
      2: ['Revoke Privileges', 'authorization.privilege.revoked'],
    },
    otherType: 'authorization.privilege.other',
  },
  3006: {
    name: 'Group Management',
    activities: {
      1: ['Assign Privileges', 'authorization.privilege.granted'],
      2: ['Revoke Privileges', 'authorization.privilege.revoked'],
      3: ['Add User', 'identity.group.member_added'],
      4: ['Remove User', 'identity.group.member_removed'],
      5: ['Delete', 'identity.group.deleted'],
      6: ['Create', 'identity.group.created'],
      7: ['Add Subgroup', 'identity.group.subgroup_added'],
      8: ['Remove Subgroup', 'identity.group.subgroup_removed'],
    },
    otherType: 'identity.group.other',
  },
  3007: {
    name: 'User Management',
    activities: {
      1: ['Create', 'identity.user.created'],
      2: ['Update', 'identity.user.updated'],
      3: ['Delete', 'identity.user.deleted'],
      4: ['Enable', 'identity.user.enabled'],
      5: ['Disable', 'identity.user.disabled'],
      6: ['Lock', 'identity.user.locked'],
      7: ['Unlock', 'identity.user.unlocked'],
      8: ['Password Change', 'identity.password.changed'],
      9: ['Password Reset', 'identity.password.reset'],
      10: ['Attach Policies', 'authorization.policy.attached'],
      11: ['Detach Policies', 'authorization.policy.detached'],
      12: ['MFA Factor Enable', 'identity.mfa.enabled'],
      13: ['MFA Factor Disable', 'identity.mfa.disabled'],
      14: ['Assign Privileges', 'authorization.privilege.granted'],
      15: ['Remove Privileges', 'authorization.privilege.revoked'],
      16: ['Assign Roles', 'authorization.role.assigned'],
      17: ['Remove Roles', 'authorization.role.removed'],
    },
    otherType: 'identity.user.other',
  },
  3008: {
    name: 'Role Management',
    activities: {
      1: ['Create', 'identity.role.created'],
      2: ['Update', 'identity.role.updated'],
      3: ['Delete', 'identity.role.deleted'],
      4: ['Assign Privileges', 'authorization.privilege.granted'],
      5: ['Remove Privileges', 'authorization.privilege.revoked'],
      6: ['Assign Resources', 'authorization.role.resources_assigned'],
      7: ['Remove Resources', 'authorization.role.resources_removed'],
      8: ['Attach Policies', 'authorization.policy.attached'],
      9: ['Detach Policies', 'authorization.policy.detached'],
      10: ['Add Programmatic Credentials', 'identity.role.credentials_added'],
      11: ['Remove Programmatic Credentials', 'identity.role.credentials_removed'],
    },
    otherType: 'identity.role.other',
  },
  6003: {
    name: 'API Activity',
    activities: {
      1: ['Create', 'activity.api_call'],
      2: ['Read', 'activity.api_call'],
      3: ['Update', 'activity.api_call'],
      4: ['Delete', 'activity.api_call'],
    },
    otherType: 'activity.api_call',
  },
};

/** Activity names producers write instead of (or besides) the id, beyond the schema's captions. */
const NAME_SYNONYMS: Readonly<Record<string, string>> = {
  disablemfa: 'mfafactordisable',
  mfadisable: 'mfafactordisable',
  mfadisabled: 'mfafactordisable',
  enablemfa: 'mfafactorenable',
  mfaenable: 'mfafactorenable',
  mfaenabled: 'mfafactorenable',
  login: 'logon',
  logout: 'logoff',
  signin: 'logon',
  signout: 'logoff',
};

export interface OcsfActivity {
  category: EventCategory;
  type: string;
  /** The activity's caption per the schema, or the producer's `activity_name`. */
  caption: string | null;
  /** The activity id after resolving a name-only record; null when unknown. */
  activityId: number | null;
}

/**
 * The activity of a record: by `activity_id`; when the id is absent, 0 (Unknown) or 99
 * (Other), by `activity_name` compared without case, spaces or punctuation.
 */
export function classifyOcsfActivity(classUid: number, activityId: number | null, activityName: string | null): OcsfActivity | null {
  const ocsfClass = OCSF_CLASSES[classUid];
  if (ocsfClass === undefined) return null;
  let id = activityId;
  let entry = id === null ? undefined : ocsfClass.activities[id];
  if (entry === undefined && activityName !== null) {
    const wanted = squash(activityName);
    const key = NAME_SYNONYMS[wanted] ?? wanted;
    for (const [candidate, activity] of Object.entries(ocsfClass.activities)) {
      if (squash(activity[0]) === key) {
        id = Number(candidate);
        entry = activity;
        break;
      }
    }
  }
  const type = entry?.[1] ?? ocsfClass.otherType;
  return {
    category: type.slice(0, type.indexOf('.')) as EventCategory,
    type,
    caption: activityName ?? entry?.[0] ?? null,
    activityId: entry === undefined ? activityId : id,
  };
}

function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}
