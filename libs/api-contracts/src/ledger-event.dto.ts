import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTOR_KINDS, ATTRIBUTIONS, EVENT_CATEGORIES, OUTCOMES, TIME_SOURCES } from '#domain';

// OpenAPI schemas of the canonical ledger event (DESIGN 4), as served by the REST API.

export class AuthenticationFactorDto {
  @ApiProperty({ enum: ['knowledge', 'possession', 'inherence'] }) type!: string;
  @ApiProperty({ example: 'password' }) method!: string;
}

export class ActorDto {
  @ApiProperty({ description: 'The accountable subject: a person or a named service, never a role.', example: 'arn:aws:iam::111122223333:user/alice' })
  subject!: string;
  @ApiProperty({ description: 'The raw principal the source names.', example: 'arn:aws:sts::111122223333:assumed-role/Admin/alice' })
  principal!: string;
  @ApiProperty({ enum: ACTOR_KINDS }) kind!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Role, session or delegation acted through.' }) via!: string | null;
  @ApiProperty({ enum: ATTRIBUTIONS, description: 'How the subject was decided.' }) attribution!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Credential used (e.g. an access key id).' }) credential_id?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Session name claimed by the caller (unverified).' }) session_name?: string | null;
}

export class AuthenticationDto {
  @ApiProperty({ type: [AuthenticationFactorDto] }) factors!: AuthenticationFactorDto[];
  @ApiProperty({
    oneOf: [{ type: 'boolean' }, { type: 'string', enum: ['delegated', 'unknown'] }],
    description: '`delegated`: MFA performed by a federating identity provider.',
  })
  mfa!: boolean | string;
}

export class TargetDto {
  @ApiProperty({ example: 'iam_user' }) type!: string;
  @ApiProperty({ example: 'arn:aws:iam::111122223333:user/bob' }) id!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) name?: string | null;
}

export class GeoDto {
  @ApiProperty({ nullable: true, type: String, example: 'DE' }) country!: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 3320 }) asn!: number | null;
}

export class SourceDto {
  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' }) ip!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'AWS Internal' }) service!: string | null;
  @ApiProperty({ nullable: true, type: String }) user_agent!: string | null;
  @ApiProperty({ nullable: true, type: String }) host!: string | null;
  @ApiProperty({ nullable: true, type: GeoDto }) geo!: GeoDto | null;
}

export class KafkaProvenanceDto {
  @ApiProperty() topic!: string;
  @ApiProperty() partition!: number;
  @ApiProperty({ description: 'Offset as a decimal string.' }) offset!: string;
}

export class OriginDto {
  @ApiProperty({ example: 'aws-cloudtrail' }) system!: string;
  @ApiProperty({ nullable: true, type: String }) account!: string | null;
  @ApiProperty({ nullable: true, type: String }) region!: string | null;
  @ApiProperty({ nullable: true, type: KafkaProvenanceDto }) kafka!: KafkaProvenanceDto | null;
}

export class LedgerPlacementDto {
  @ApiProperty({ description: 'Global position in the ledger (also the Merkle leaf index).' }) position!: number;
  @ApiProperty({ description: 'Another, different record already used this source event id.' }) id_collision!: boolean;
}

export class LedgerEventDto {
  @ApiProperty({ example: 'v1' }) schema_version!: string;
  @ApiProperty({ description: 'Source-unique id (CloudTrail eventID, Okta uuid, ...).' }) id!: string;
  @ApiProperty({ enum: EVENT_CATEGORIES }) category!: string;
  @ApiProperty({ example: 'authentication.login' }) type!: string;
  @ApiProperty({ format: 'date-time', description: 'Event time from the source (UTC).' }) time!: string;
  @ApiPropertyOptional({
    enum: TIME_SOURCES,
    description: 'Absent when `time` is the one the source record gives. `kafka_timestamp`: the record had no time and arrived over Kafka; `time` is the Kafka record timestamp.',
  })
  time_source?: string;
  @ApiProperty({ format: 'date-time', description: 'When the ledger received it.' }) received_at!: string;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ nullable: true, type: AuthenticationDto }) authentication!: AuthenticationDto | null;
  @ApiProperty({ example: 'signin:ConsoleLogin' }) action!: string;
  @ApiProperty({ nullable: true, type: TargetDto }) target!: TargetDto | null;
  @ApiProperty({ enum: OUTCOMES }) outcome!: string;
  @ApiProperty({ nullable: true, type: String }) outcome_reason!: string | null;
  @ApiProperty({ type: SourceDto }) source!: SourceDto;
  @ApiProperty({ type: OriginDto }) origin!: OriginDto;
  @ApiProperty({ description: 'The original record, byte-faithful.' }) raw!: string;
  @ApiProperty({ type: LedgerPlacementDto }) ledger!: LedgerPlacementDto;
}

export class EventPageDto {
  @ApiProperty({ type: [LedgerEventDto] }) items!: LedgerEventDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` to get the next page; null on the last page.' })
  next_cursor!: string | null;
}

export class ProblemDto {
  @ApiProperty({ example: 'https://ledger.example/problems/invalid_argument' }) type!: string;
  @ApiProperty({ example: 'Invalid argument' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'limit must be an integer between 1 and 1000' }) detail!: string;
  @ApiProperty({ example: 'invalid_argument' }) code!: string;
  @ApiPropertyOptional({ example: 'limit' }) field?: string;
}

export class IngestRejectionDto {
  @ApiProperty({ description: 'Which message of the body: 0 for a single JSON document, else the index among the non-blank NDJSON lines.' }) message_index!: number;
  @ApiProperty({ nullable: true, type: Number, description: '1-based line of the body for NDJSON; null when the body is one JSON document.' }) line!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Position of the record inside its message (e.g. Records[i]), or null when the whole message was rejected.' }) record_index!: number | null;
  @ApiProperty({ example: 'invalid_event_time' }) reason!: string;
  @ApiProperty() message!: string;
}

export class IngestResultDto {
  @ApiProperty({ description: 'Events newly stored.' }) appended!: number;
  @ApiProperty({ description: 'Records already in the ledger (counted, not stored again).' }) duplicates!: number;
  @ApiProperty({ description: 'Stored events whose source id another record already used.' }) id_collisions!: number;
  @ApiProperty({ description: 'Records rejected (also sent to the dead-letter topic).' }) rejected!: number;
  @ApiProperty({ type: [IngestRejectionDto] }) rejections!: IngestRejectionDto[];
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: string;
  @ApiPropertyOptional({ description: 'Per dependency: ok or the error seen.', example: { postgres: 'ok', kafka: 'ok' } })
  checks?: Record<string, string>;
}

export class SubjectAliasDto {
  @ApiProperty({ example: 'okta:alice@example.com' }) subject!: string;
  @ApiProperty({ type: [String], example: ['human'] }) kinds!: string[];
  @ApiProperty({ description: 'Events attributed to this alias (re-attributions included).' }) events!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) first_seen!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_seen!: string | null;
}

export class SubjectProfileDto {
  @ApiProperty({ description: 'The subject asked for.' }) subject!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The person the identity map links this subject to.' }) person!: string | null;
  @ApiProperty({ type: [SubjectAliasDto], description: 'Every alias of the person (or the subject alone), with activity.' })
  aliases!: SubjectAliasDto[];
  @ApiProperty() events!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) first_seen!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_seen!: string | null;
}

export class SubjectListItemDto {
  @ApiProperty({ example: 'arn:aws:iam::111122223333:user/alice' }) subject!: string;
  @ApiProperty({ type: [String], example: ['human'] }) kinds!: string[];
  @ApiProperty() events!: number;
  @ApiProperty({ description: 'Events with outcome failure.' }) failures!: number;
  @ApiProperty({ description: 'Events acted as a root identity.' }) root_events!: number;
  @ApiProperty({ format: 'date-time' }) first_seen!: string;
  @ApiProperty({ format: 'date-time', description: 'Last activity (event time).' }) last_seen!: string;
  @ApiProperty({ example: 's3:GetObject' }) last_action!: string;
  @ApiProperty({ description: 'Anomalies raised on this subject that nobody has triaged yet (status open).', example: 2 }) open_anomalies!: number;
}

export class SubjectPageDto {
  @ApiProperty({ type: [SubjectListItemDto] }) items!: SubjectListItemDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

export class TriageEntryDto {
  @ApiProperty({ enum: ['acknowledged', 'resolved', 'false_positive', 'open'] }) status!: string;
  @ApiProperty() note!: string;
  @ApiProperty({ description: 'Accountable subject who triaged (the API key owner).' }) by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'Ledger position of the triage event.' }) position!: number;
}

export class AnomalyDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'console_login_without_mfa' }) type!: string;
  @ApiProperty({ enum: ['low', 'medium', 'high', 'critical'] }) severity!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ format: 'date-time', description: 'Event time of the evidence.' }) time!: string;
  @ApiProperty({ description: 'Raised by an event older than the watermark.' }) late!: boolean;
  @ApiProperty({ type: [String] }) evidence_event_ids!: string[];
  @ApiProperty({ type: [String], example: ['countries seen in the last 30 days: DE (41)'] }) facts!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ enum: ['open', 'acknowledged', 'resolved', 'false_positive'] }) status!: string;
  @ApiProperty({ type: [TriageEntryDto] }) history!: TriageEntryDto[];
  @ApiProperty({ description: 'Ledger position of the anomaly event.' }) position!: number;
}

export class AnomalyPageDto {
  @ApiProperty({ type: [AnomalyDto] }) items!: AnomalyDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

export class TriageRequestDto {
  @ApiProperty({ enum: ['acknowledged', 'resolved', 'false_positive', 'open'] }) status!: string;
  @ApiProperty({ maxLength: 4000, example: 'Confirmed with the on-call engineer: planned break-glass.' }) note!: string;
}
