import type { LedgerEvent } from '#domain';

/** What the detectors read: a stored ledger event, or a normalized one not yet received. */
export type DetectableEvent = Omit<LedgerEvent, 'received_at'> & { received_at?: string };

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

export function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The source record of a CloudTrail event, for the request and response details that the
 * canonical event does not carry (policy ARNs, password policy settings, event selectors).
 * Parsed only for the few actions whose rules need it.
 */
const PARSED = new WeakMap<DetectableEvent, Json | null>();

export function cloudTrailRecord(event: DetectableEvent): Json | null {
  if (event.origin.system !== 'aws-cloudtrail' || typeof event.raw !== 'string' || event.raw === '') return null;
  // several rules may ask about the same event: parse its record once
  const cached = PARSED.get(event);
  if (cached !== undefined) return cached;
  const record = parseRecord(event.raw);
  PARSED.set(event, record);
  return record;
}

function parseRecord(raw: string): Json | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(parsed)) return null;
  // EventBridge envelopes keep the whole envelope as raw; the record is its detail
  if (isObject(parsed.detail) && typeof parsed['detail-type'] === 'string') return parsed.detail;
  return parsed;
}

export function requestParameters(event: DetectableEvent): Json | null {
  const record = cloudTrailRecord(event);
  const params = record?.requestParameters;
  return isObject(params) ? params : null;
}

// Lambda and a few other services version their event names: AddPermission20150331v2
const API_VERSION_SUFFIX = /\d{8}(?:v\d+)?$/;

/** `lambda:AddPermission20150331v2` → `lambda:AddPermission`. */
export function actionName(event: DetectableEvent): string {
  return event.action.replace(API_VERSION_SUFFIX, '');
}

export function eventTimeMs(event: DetectableEvent): number {
  return Date.parse(event.time);
}

export function isSuccess(event: DetectableEvent): boolean {
  return event.outcome !== 'failure';
}

const AUTH_ATTEMPT = /(^|\.)(login|logon|sign_?in|session_start|session\.start|authenticat\w*|mfa_check|mfa\.verify|verify|credential_verification|credential_challenge)($|\.)/;

/** An attempt to prove an identity (password, MFA, SSO, ssh), as opposed to using one. */
export function isAuthenticationAttempt(event: DetectableEvent): boolean {
  if (event.category !== 'authentication') return false;
  const type = event.type.slice('authentication.'.length);
  return AUTH_ATTEMPT.test(type) || /login|signin|authenticat|verify/i.test(event.action);
}

/** A sign-in that opened a session: console, IdP or ssh login. */
export function isLogin(event: DetectableEvent): boolean {
  if (event.category !== 'authentication') return false;
  return /(^|\.)(login|logon|sign_?in|session_start|session\.start)($|\.)/.test(event.type.slice('authentication.'.length));
}

export function isLinux(event: DetectableEvent): boolean {
  return event.origin.system === 'linux-auth' || event.actor.subject.startsWith('linux:');
}

/** Host name of a Linux event (subject `linux:<host>:<user>`), or the source host. */
export function hostOf(event: DetectableEvent): string | null {
  const subject = event.actor.subject;
  if (subject.startsWith('linux:')) {
    const last = subject.lastIndexOf(':');
    if (last > 6) return subject.slice(6, last);
  }
  return event.source.host ?? null;
}

/** The local account name of a Linux subject (`linux:web-1:root` → `root`). */
export function linuxAccount(subject: string): string | null {
  if (!subject.startsWith('linux:')) return null;
  const last = subject.lastIndexOf(':');
  return last > 6 ? subject.slice(last + 1) : null;
}

/**
 * The device a user agent stands for: client family on an operating system, without
 * versions (browsers update every few weeks; a new version is not a new device). User
 * agents that AWS's own console back end sends on a person's behalf are not a device.
 */
export function deviceOf(userAgent: string | null | undefined): string | null {
  if (typeof userAgent !== 'string') return null;
  let ua = userAgent.trim();
  if (ua.startsWith('[') && ua.endsWith(']')) ua = ua.slice(1, -1).trim();
  if (ua === '' || ua === 'AWS Internal' || /^[a-z0-9.-]+\.amazonaws\.com$/i.test(ua) || ua.startsWith('S3Console/') || ua.includes('aws-internal/')) {
    return null;
  }
  if (ua.startsWith('Mozilla/')) return `${browserOf(ua)} on ${browserOs(ua)}`;
  const os = toolOs(ua);
  const client = toolOf(ua);
  return os === null ? client : `${client} on ${os}`;
}

function browserOf(ua: string): string {
  if (ua.includes('Edg/') || ua.includes('Edge/')) return 'Edge';
  if (ua.includes('OPR/') || ua.includes('Opera')) return 'Opera';
  if (ua.includes('Firefox/')) return 'Firefox';
  if (ua.includes('Chrome/') || ua.includes('CriOS/')) return 'Chrome';
  if (ua.includes('Safari/')) return 'Safari';
  return 'Browser';
}

function browserOs(ua: string): string {
  if (ua.includes('Windows')) return 'Windows';
  if (ua.includes('iPhone') || ua.includes('iPad')) return 'iOS';
  if (ua.includes('Android')) return 'Android';
  if (ua.includes('Macintosh') || ua.includes('Mac OS X')) return 'macOS';
  if (ua.includes('CrOS')) return 'ChromeOS';
  if (ua.includes('Linux') || ua.includes('X11')) return 'Linux';
  return 'unknown OS';
}

function toolOs(ua: string): string | null {
  const m = /\bos\/([a-z]+)/i.exec(ua);
  if (m === null) return null;
  const os = m[1].toLowerCase();
  if (os === 'macos' || os === 'darwin') return 'macOS';
  if (os === 'windows') return 'Windows';
  if (os === 'linux') return 'Linux';
  return os;
}

function toolOf(ua: string): string {
  if (ua.startsWith('aws-cli/')) return 'aws-cli';
  if (ua.includes('Terraform/') || ua.includes('HashiCorp')) return 'Terraform';
  if (ua.startsWith('Boto3/') || ua.startsWith('Botocore/')) return 'Boto3';
  if (ua.includes('aws-sdk-go')) return 'aws-sdk-go';
  if (ua.includes('aws-sdk-js')) return 'aws-sdk-js';
  if (ua.includes('aws-sdk-java')) return 'aws-sdk-java';
  if (ua.startsWith('stratus-red-team')) return 'stratus-red-team';
  const token = /^[A-Za-z][\w.-]*/.exec(ua);
  return token === null ? 'unknown client' : token[0];
}

/** `claim_contradicted`, which the attribution step sets on credential-chain events (DESIGN 5.1). */
export function claimContradicted(event: DetectableEvent): boolean {
  return (event.actor as { claim_contradicted?: boolean }).claim_contradicted === true;
}
