import type { DetectionConfig } from '../detection-config.js';
import type { DetectableEvent } from '../event-facts.js';
import { actionName, requestParameters, stringOf } from '../event-facts.js';
import type { DetectionState, Seen, SubjectState } from '../engine/detection-state.js';

/**
 * Peer groups: subjects that share a group or a role. Membership is learnt from the events
 * themselves: a subject acting through a role (`actor.via`) joins `role:<role ARN>`, and IAM
 * group membership changes (`AddUserToGroup`/`RemoveUserFromGroup`) add or remove
 * `iam-group:<group ARN>` members. A group answers for a subject that has no baseline of its
 * own yet (a new employee), and says what is routine for people in the same job.
 */
export function updateMembership(state: DetectionState, event: DetectableEvent, subject: SubjectState): void {
  const via = event.actor.via;
  if (via !== null && via.includes(':role/') && event.outcome !== 'failure') join(state, `role:${via}`, event.actor.subject, subject);
  const action = actionName(event);
  if ((action === 'iam:AddUserToGroup' || action === 'iam:RemoveUserFromGroup') && event.outcome !== 'failure') {
    const params = requestParameters(event);
    const groupName = stringOf(params?.groupName);
    const member = event.target?.type === 'AWS::IAM::User' ? event.target.id : null;
    if (groupName === null || member === null) return;
    const account = event.origin.account ?? member.split(':')[4] ?? '';
    const partition = member.split(':')[1] ?? 'aws';
    const group = `iam-group:arn:${partition}:iam::${account}:group/${groupName}`;
    const memberState = state.subjects.get(member);
    if (action === 'iam:AddUserToGroup') join(state, group, member, memberState);
    else leave(state, group, member, memberState);
  }
}

function join(state: DetectionState, group: string, member: string, memberState: SubjectState | undefined): void {
  if (memberState !== undefined && memberState.groups.includes(group)) return;
  let members = state.groups.get(group);
  if (members === undefined) {
    members = new Set();
    state.groups.set(group, members);
  }
  if (!members.has(member)) members.add(member);
  if (memberState !== undefined && !memberState.groups.includes(group)) memberState.groups.push(group);
}

function leave(state: DetectionState, group: string, member: string, memberState: SubjectState | undefined): void {
  state.groups.get(group)?.delete(member);
  if (memberState !== undefined) memberState.groups = memberState.groups.filter((g) => g !== group);
}

/** A new subject inherits the groups it was put in before it was first seen. */
export function groupsOfNewSubject(state: DetectionState, subject: string): string[] {
  const out: string[] = [];
  for (const [group, members] of state.groups) if (members.has(subject)) out.push(group);
  return out;
}

export function isWarmedForFamiliarity(s: SubjectState, t: number, config: DetectionConfig): boolean {
  return s.firstSeen <= t - config.warmup.familiarityMs && s.activeDays >= config.warmup.familiarityMinActiveDays;
}

export interface PeerView {
  /** Warmed-up peers (other members of the subject's groups), capped. */
  peers: { id: string; state: SubjectState }[];
  groups: string[];
}

const MAX_PEERS = 500;

export function warmedPeers(state: DetectionState, subjectId: string, subject: SubjectState, t: number, config: DetectionConfig): PeerView {
  const seen = new Set<string>();
  const peers: PeerView['peers'] = [];
  for (const group of subject.groups) {
    for (const member of state.groups.get(group) ?? []) {
      if (member === subjectId || seen.has(member) || peers.length >= MAX_PEERS) continue;
      seen.add(member);
      const s = state.subjects.get(member);
      if (s !== undefined && isWarmedForFamiliarity(s, t, config)) peers.push({ id: member, state: s });
    }
  }
  return { peers, groups: subject.groups };
}

export function familiar<K>(map: Map<K, Seen>, key: K, t: number, lookbackMs: number): boolean {
  const s = map.get(key);
  return s !== undefined && s.last >= t - lookbackMs;
}
