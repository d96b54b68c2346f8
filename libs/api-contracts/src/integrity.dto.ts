import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// OpenAPI schemas of the integrity endpoints (DESIGN 6 and 8). The formats, and how to
// verify each of them with a few lines of code, are in docs/integrity.md.

const HEX_HASH = { pattern: '^[0-9a-f]{64}$', example: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328' };
const NOTE_EXAMPLE =
  'accountability-ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\ntime 2025-01-01T00:00:00.000Z\n\n— accountability-ledger g7axPXezlwl0KYzjfr5nDhOnCymOj94T113Ux8oKhapC558g8Xpp6udaaVmPCf9Wy2PqlHW/jkrx1hLW8cNVzF2c6wo=\n';

export class CheckpointDto {
  @ApiProperty({ description: 'Number of events (leaves) the checkpoint covers: positions [0, tree_size).', example: 8 }) tree_size!: number;
  @ApiProperty({ description: 'Merkle root (RFC 9162) of those leaves, hex.', ...HEX_HASH }) root_hash!: string;
  @ApiProperty({ format: 'date-time', description: 'Signing time, as in the note.' }) time!: string;
  @ApiProperty({ example: 'accountability-ledger' }) origin!: string;
  @ApiProperty({ example: 'accountability-ledger' }) key_name!: string;
  @ApiProperty({ example: '83b6b13d', description: 'Signed-note key id (8 hex digits).' }) key_id!: string;
  @ApiProperty({ description: 'The signed checkpoint (C2SP signed note): verify this; the other fields repeat it.', example: NOTE_EXAMPLE })
  checkpoint!: string;
}

export class InclusionProofDto {
  @ApiProperty({ description: 'The event\'s position in the ledger: its leaf index.' }) leaf_index!: number;
  @ApiProperty({ description: 'Size of the tree the proof is for; equals the checkpoint\'s.' }) tree_size!: number;
  @ApiProperty({ description: 'SHA-256(0x00 || UTF-8 bytes of `document`), hex.', ...HEX_HASH }) leaf_hash!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 audit path, the sibling nearest the leaf first; hex.' }) hashes!: string[];
  @ApiProperty({ description: 'The signed checkpoint whose root the path leads to.', example: NOTE_EXAMPLE }) checkpoint!: string;
  @ApiProperty() event_id!: string;
  @ApiProperty({ description: 'The event in canonical JSON: exactly the bytes that were hashed.' }) document!: string;
}

export class ConsistencyProofDto {
  @ApiProperty() first_size!: number;
  @ApiProperty() second_size!: number;
  @ApiProperty({ type: [String], description: 'RFC 9162 consistency proof PROOF(first_size, D[second_size]); hex.' }) hashes!: string[];
  @ApiProperty({ description: 'The signed checkpoint of first_size.' }) first_checkpoint!: string;
  @ApiProperty({ description: 'The signed checkpoint of second_size.' }) second_checkpoint!: string;
}

export class SigningKeyDto {
  @ApiProperty({ example: 'accountability-ledger' }) name!: string;
  @ApiProperty({ example: '83b6b13d' }) key_id!: string;
  @ApiProperty({ description: 'Verifier key: <name>+<key id>+base64(0x01 || Ed25519 public key).', example: 'accountability-ledger+83b6b13d+Aa3YkHlsHpPNvea4gXJPVvq0pe/QlmLX1RVKDofcrMgH' })
  vkey!: string;
  @ApiProperty({ format: 'date-time', description: 'Checkpoints signed by this key are valid from this time.' }) not_before!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: '...until this time; null for the current key.' })
  not_after!: string | null;
}

export class SigningKeysDto {
  @ApiProperty({ example: 'accountability-ledger' }) origin!: string;
  @ApiProperty({ type: [SigningKeyDto], description: 'Every key the log has used, oldest first. Confirm them out of band before trusting them.' })
  keys!: SigningKeyDto[];
}

export class RangeDto {
  @ApiProperty() from!: number;
  @ApiProperty() to!: number;
}

export class CheckpointRefDto {
  @ApiProperty() id!: number;
  @ApiProperty() tree_size!: number;
}

export class TamperFindingDto {
  @ApiProperty({
    enum: [
      'modified', 'deleted', 'inserted', 'reordered', 'column_modified', 'checkpoint_edited', 'checkpoint_unknown_key',
      'checkpoint_key_not_valid_at_time', 'checkpoint_inconsistent', 'merkle_store_modified',
    ],
  })
  kind!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'First affected position; null for checkpoint and Merkle-store findings.' })
  position!: number | null;
  @ApiPropertyOptional({ type: [Number] }) positions?: number[];
  @ApiPropertyOptional({ type: RangeDto }) range?: RangeDto;
  @ApiPropertyOptional({ type: CheckpointRefDto }) checkpoint?: CheckpointRefDto;
  @ApiProperty({ enum: ['signed_log', 'row', 'positions', 'checkpoint', 'range', 'merkle_store', 'unauthenticated_copy'] }) evidence!: string;
  @ApiProperty() detail!: string;
}

export class UnverifiedTailDto {
  @ApiProperty() from!: number;
  @ApiProperty() to!: number;
  @ApiProperty() note!: string;
}

export class CheckpointCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty() valid!: number;
  @ApiProperty({ nullable: true, type: Number }) latest_valid_size!: number | null;
}

export class VerificationReportDto {
  @ApiProperty({ description: 'True when nothing was found.' }) ok!: boolean;
  @ApiProperty() origin!: string;
  @ApiProperty({ description: 'Event rows read.' }) events!: number;
  @ApiProperty({ description: 'The ledger head: next position to hand out.' }) head!: number;
  @ApiProperty({ type: CheckpointCountsDto }) checkpoints!: CheckpointCountsDto;
  @ApiProperty({ description: 'Events [0, verified_through) recompute to the root of a validly signed checkpoint.' }) verified_through!: number;
  @ApiProperty({ nullable: true, type: UnverifiedTailDto, description: 'Events after the latest checkpoint: checked for internal consistency only.' })
  unverified_tail!: UnverifiedTailDto | null;
  @ApiProperty({ nullable: true, type: Number }) first_bad_position!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Kind of the first finding.' }) tampering!: string | null;
  @ApiProperty({ type: [TamperFindingDto] }) findings!: TamperFindingDto[];
  @ApiProperty() findings_truncated!: boolean;
  @ApiProperty({ type: [String] }) warnings!: string[];
  @ApiProperty({ type: [String], description: 'The vkeys checkpoints were checked against.' }) trusted_keys!: string[];
  @ApiProperty() duration_ms!: number;
  @ApiProperty() events_per_second!: number;
}
