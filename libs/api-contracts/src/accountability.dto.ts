import { ApiProperty } from '@nestjs/swagger';
import { SubjectProfileDto } from './ledger-event.dto.js';

// OpenAPI schemas of the accountability profile and the account posture (DESIGN 7, 8).

const TIME = { type: String, format: 'date-time', nullable: true } as const;
const MFA_VALUE = { oneOf: [{ type: 'boolean' }, { type: 'string', enum: ['delegated', 'unknown'] }] };

export class MfaSummaryDto {
  @ApiProperty({ ...MFA_VALUE, nullable: true, description: 'MFA of the latest successful sign-in (null: no sign-in seen).', example: true })
  last!: boolean | string | null;
  @ApiProperty({ ...TIME, description: 'Time of that sign-in.' }) last_at!: string | null;
  @ApiProperty({ description: 'Successful sign-ins with MFA `true` or `delegated`.', example: 9 }) logins_with_mfa!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'logins_with_mfa / logins; null without sign-ins.', example: 0.9 }) coverage!: number | null;
  @ApiProperty({ type: String, nullable: true, enum: ['enabled', 'disabled'], description: 'Latest MFA evidence for the IAM user: a device enabled or deactivated, or a call made with MFA.' })
  device!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['device_enabled', 'device_deactivated', 'used'] }) device_source!: string | null;
  @ApiProperty(TIME) device_changed_at!: string | null;
}

export class AuthenticationSummaryDto {
  @ApiProperty({ type: [String], example: ['knowledge', 'possession'], description: 'Factor types of successful events.' }) factor_types!: string[];
  @ApiProperty({ type: [String], example: ['access_key', 'password', 'totp'] }) factor_methods!: string[];
  @ApiProperty({ description: 'Successful sign-ins (`authentication.login`).', example: 10 }) logins!: number;
  @ApiProperty(TIME) last_login_at!: string | null;
  @ApiProperty({ description: 'Failed sign-in attempts.', example: 2 }) failed_logins!: number;
  @ApiProperty(TIME) last_failed_login_at!: string | null;
  @ApiProperty({ type: MfaSummaryDto }) mfa!: MfaSummaryDto;
}

export class GroupMembershipDto {
  @ApiProperty({ example: 'arn:aws:iam::111122223333:group/developers' }) group!: string;
  @ApiProperty({ example: 'developers' }) name!: string;
  @ApiProperty({ description: 'The alias that is the member.', example: 'arn:aws:iam::111122223333:user/alice' }) member!: string;
  @ApiProperty({ format: 'date-time', description: 'Event time of the add.' }) since!: string;
}

export class RoleUseDto {
  @ApiProperty({ description: 'Role ARN without its path.', example: 'arn:aws:iam::444455556666:role/ops-admin' }) role!: string;
  @ApiProperty({ example: 'ops-admin' }) name!: string;
  @ApiProperty({ description: 'The alias that used it.' }) subject!: string;
  @ApiProperty({ description: 'Successful assumptions plus events acted through the role.', example: 42 }) uses!: number;
  @ApiProperty(TIME) first_used!: string | null;
  @ApiProperty(TIME) last_used!: string | null;
}

export class PrivilegeDto {
  @ApiProperty({ description: 'Managed policy ARN, or the inline policy name.', example: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }) policy!: string;
  @ApiProperty({ enum: ['managed', 'inline'] }) policy_type!: string;
  @ApiProperty({ description: '`direct`, `via_group:<group>` or `via_role:<role>`.', example: 'via_group:developers' }) held!: string;
  @ApiProperty({ description: 'The user, group or role the policy is attached to.', example: 'arn:aws:iam::111122223333:group/developers' }) holder!: string;
  @ApiProperty({ format: 'date-time', description: 'Event time of the attachment.' }) since!: string;
}

export class RootUseDto {
  @ApiProperty({ description: 'Events acted as a root identity.', example: 0 }) events!: number;
  @ApiProperty(TIME) last_at!: string | null;
}

export class AccessKeyDto {
  @ApiProperty({ example: 'AKIAIOSFODNN7EXAMPLE' }) access_key_id!: string;
  @ApiProperty({ type: String, nullable: true, example: 'arn:aws:iam::111122223333:user/alice' }) owner!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['Active', 'Inactive', 'Deleted'], description: 'null: no lifecycle event in the ledger (known from its use).' })
  status!: string | null;
  @ApiProperty(TIME) created_at!: string | null;
  @ApiProperty({ ...TIME, description: 'Latest event signed with the key.' }) last_used_at!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Whole days since creation, at the time of the request.', example: 120 }) age_days!: number | null;
}

export class CredentialsDto {
  @ApiProperty({ type: [AccessKeyDto] }) access_keys!: AccessKeyDto[];
}

export class DormancyDto {
  @ApiProperty({ ...TIME, description: 'Latest event of the subject, failed sign-ins aside.' }) last_active_at!: string | null;
  @ApiProperty({ format: 'date-time', description: 'Latest event time reported by any source, capped at now.' }) reference_time!: string;
  @ApiProperty({ type: Number, nullable: true, example: 3 }) idle_days!: number | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'No activity for threshold_days before reference_time; null: never seen active or created.' })
  dormant!: boolean | null;
  @ApiProperty({ example: 90 }) threshold_days!: number;
}

export class AccountabilityProfileDto extends SubjectProfileDto {
  @ApiProperty({ type: AuthenticationSummaryDto }) authentication!: AuthenticationSummaryDto;
  @ApiProperty({ type: [GroupMembershipDto] }) groups!: GroupMembershipDto[];
  @ApiProperty({ type: [RoleUseDto], description: 'Roles the subject acted through or assumed.' }) roles!: RoleUseDto[];
  @ApiProperty({ type: [PrivilegeDto] }) privileges!: PrivilegeDto[];
  @ApiProperty({ type: RootUseDto }) root_use!: RootUseDto;
  @ApiProperty({ type: CredentialsDto }) credentials!: CredentialsDto;
  @ApiProperty({ type: DormancyDto }) dormancy!: DormancyDto;
}

export class PasswordPolicySettingsDto {
  @ApiProperty({ example: 14 }) minimum_length!: number;
  @ApiProperty() require_uppercase!: boolean;
  @ApiProperty() require_lowercase!: boolean;
  @ApiProperty() require_numbers!: boolean;
  @ApiProperty() require_symbols!: boolean;
  @ApiProperty({ example: 24, description: '0: reuse allowed.' }) reuse_prevention!: number;
  @ApiProperty({ example: 90, description: '0: passwords never expire.' }) max_age_days!: number;
  @ApiProperty() allow_users_to_change!: boolean;
  @ApiProperty() hard_expiry!: boolean;
}

export class PasswordPolicyGapDto {
  @ApiProperty({ enum: ['minimum_length', 'require_uppercase', 'require_lowercase', 'require_numbers', 'require_symbols', 'reuse_prevention', 'max_age_days'] })
  setting!: string;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'boolean' }], example: 14 }) required!: number | boolean;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'boolean' }], example: 8 }) actual!: number | boolean;
}

export class PasswordPolicyDto {
  @ApiProperty({ enum: ['set', 'deleted', 'unknown'], description: '`unknown`: the ledger has seen no change to the policy.' }) state!: string;
  @ApiProperty({ type: PasswordPolicySettingsDto, nullable: true, description: 'In force: as set, or the IAM defaults once deleted.' }) settings!: PasswordPolicySettingsDto | null;
  @ApiProperty(TIME) changed_at!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Source id of the event that set it.' }) event_id!: string | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Meets DESIGN 7: 14 characters, upper, lower, digit, symbol, reuse 24, rotation 90 days.' })
  compliant!: boolean | null;
  @ApiProperty({ type: [PasswordPolicyGapDto], nullable: true }) gaps!: PasswordPolicyGapDto[] | null;
}

export class UserWithoutMfaDto {
  @ApiProperty({ example: 'arn:aws:iam::111122223333:user/svc-backup' }) subject!: string;
  @ApiProperty(TIME) created_at!: string | null;
  @ApiProperty(TIME) last_active_at!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['disabled'], description: '`disabled`: a device was deactivated; null: no MFA ever seen.' }) mfa!: string | null;
  @ApiProperty(TIME) mfa_changed_at!: string | null;
}

export class DirectPrivilegeDto {
  @ApiProperty({ example: 'arn:aws:iam::111122223333:user/alice' }) subject!: string;
  @ApiProperty({ example: 'arn:aws:iam::aws:policy/AdministratorAccess' }) policy!: string;
  @ApiProperty({ enum: ['managed', 'inline'] }) policy_type!: string;
  @ApiProperty({ format: 'date-time' }) since!: string;
}

export class AccountPostureDto {
  @ApiProperty({ example: '111122223333' }) account!: string;
  @ApiProperty({ description: 'Events from this account in the ledger.', example: 4210 }) events!: number;
  @ApiProperty({ format: 'date-time' }) first_seen!: string;
  @ApiProperty({ format: 'date-time' }) last_seen!: string;
  @ApiProperty({ type: PasswordPolicyDto }) password_policy!: PasswordPolicyDto;
  @ApiProperty({ type: [AccessKeyDto], description: 'Access keys of the root user that were not deleted.' }) root_access_keys!: AccessKeyDto[];
  @ApiProperty({ type: [UserWithoutMfaDto], description: 'IAM users seen created or active, not deleted, with no MFA evidence.' }) users_without_mfa!: UserWithoutMfaDto[];
  @ApiProperty({ type: [DirectPrivilegeDto], description: 'Policies attached to users (not through a group or role), in force.' }) direct_privileges!: DirectPrivilegeDto[];
}
