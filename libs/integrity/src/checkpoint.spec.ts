import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError } from '#domain';
import { formatCheckpointBody, parseCheckpoint, signCheckpoint, verifyCheckpoint } from './checkpoint.js';
import { CheckpointError, type SignedNoteErrorReason } from './integrity-errors.js';
import { emptyRoot, leafHash, merkleRoot } from './merkle.js';
import { type VerifierKey, generateSigningKey, signNote, signingKeyFromPrivateKey, verifierKeyFromVkey } from './signed-note.js';

const ORIGIN = 'ledger.example.com/audit';

/** Same bytes, but a padding bit set in the last character: decoders that do not check accept it. */
function nonCanonicalBase64(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const text = bytes.toString('base64');
  const last = text.length - 2; // 32 bytes: 43 characters and one '='; the 43rd carries 2 padding bits
  const altered = text.slice(0, last) + alphabet[alphabet.indexOf(text[last]) | 1] + text.slice(last + 1);
  expect(Buffer.from(altered, 'base64').equals(bytes)).toBe(true);
  return altered;
}

function failure(action: () => unknown): { reason: SignedNoteErrorReason | 'ok'; message: string } {
  try {
    action();
    return { reason: 'ok', message: '' };
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointError);
    return { reason: (error as CheckpointError).reason, message: (error as Error).message };
  }
}

describe('checkpoints', () => {
  const key = generateSigningKey(ORIGIN);
  const trusted: VerifierKey[] = [verifierKeyFromVkey(key.vkey)];
  const root = randomBytes(32);
  const input = { origin: ORIGIN, treeSize: 1_234_567, rootHash: root, time: new Date('2025-03-04T05:06:07.089Z') };

  it('has the C2SP tlog-checkpoint body plus our time line', () => {
    expect(formatCheckpointBody(input)).toBe(
      `${ORIGIN}\n1234567\n${root.toString('base64')}\ntime 2025-03-04T05:06:07.089Z\n`,
    );
    expect(formatCheckpointBody({ ...input, time: '2025-03-04T06:06:07.089+01:00' })).toBe(formatCheckpointBody(input));
  });

  it('signs and verifies', () => {
    const note = signCheckpoint(input, key);
    expect(note.startsWith(formatCheckpointBody(input) + '\n— ' + ORIGIN + ' ')).toBe(true);
    const verified = verifyCheckpoint(note, trusted, { origin: ORIGIN });
    expect(verified.origin).toBe(ORIGIN);
    expect(verified.treeSize).toBe(1_234_567);
    expect(verified.rootHash.equals(root)).toBe(true);
    expect(verified.time?.toISOString()).toBe('2025-03-04T05:06:07.089Z');
    expect(verified.extensions).toEqual([]);
    expect(verified.verifiedBy).toEqual({ name: ORIGIN, keyId: key.keyId });
    expect(parseCheckpoint(note).signatures[0].keyId).toBe(key.keyId);
  });

  it('reproduces the worked example of docs/integrity.md', () => {
    // Seed: SHA-256("ledger.example.com/audit example key"); root: the RFC 6962 8-leaf tree.
    const seed = createHash('sha256').update('ledger.example.com/audit example key').digest();
    const exampleKey = signingKeyFromPrivateKey(ORIGIN, seed.toString('base64'));
    expect(exampleKey.vkey).toBe('ledger.example.com/audit+83b6b13d+Aa3YkHlsHpPNvea4gXJPVvq0pe/QlmLX1RVKDofcrMgH');
    const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
    const rootHash = merkleRoot(leaves.map((hex) => leafHash(Buffer.from(hex, 'hex'))));
    const note = signCheckpoint({ origin: ORIGIN, treeSize: 8, rootHash, time: '2025-01-01T00:00:00.000Z' }, exampleKey);
    expect(note).toBe(
      'ledger.example.com/audit\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\ntime 2025-01-01T00:00:00.000Z\n\n' +
        '— ledger.example.com/audit g7axPXezlwl0KYzjfr5nDhOnCymOj94T113Ux8oKhapC558g8Xpp6udaaVmPCf9Wy2PqlHW/jkrx1hLW8cNVzF2c6wo=\n',
    );
  });

  it('detects every edit of the signed text', () => {
    const note = signCheckpoint(input, key);
    const edits = {
      size: note.replace('\n1234567\n', '\n1234568\n'),
      'shrunk size': note.replace('\n1234567\n', '\n1234\n'),
      root: note.replace(root.toString('base64'), Buffer.from(root.map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64')),
      time: note.replace('05:06:07.089Z', '05:06:07.090Z'),
      origin: note.replace(`${ORIGIN}\n`, `${ORIGIN}x\n`),
      'added extension': note.replace('.089Z\n', '.089Z\nnote hello\n'),
    };
    for (const [what, edited] of Object.entries(edits)) {
      expect(edited, what).not.toBe(note);
      expect(failure(() => verifyCheckpoint(edited, trusted)).reason, what).toBe('bad_signature');
    }
  });

  it('rejects a checkpoint from an untrusted key, naming both', () => {
    const other = generateSigningKey(ORIGIN);
    const result = failure(() => verifyCheckpoint(signCheckpoint(input, other), trusted));
    expect(result.reason).toBe('unknown_key');
    expect(result.message).toContain(other.keyId);
    expect(result.message).toContain(key.keyId);
    expect(failure(() => verifyCheckpoint(signCheckpoint(input, key), [])).reason).toBe('unknown_key');
  });

  it('rejects a checkpoint of another log when the origin is pinned', () => {
    const note = signCheckpoint({ ...input, origin: 'other.example/log' }, key);
    expect(failure(() => verifyCheckpoint(note, trusted)).reason).toBe('ok');
    expect(failure(() => verifyCheckpoint(note, trusted, { origin: ORIGIN })).reason).toBe('origin_mismatch');
  });

  describe('key rotation', () => {
    const rotation = new Date('2025-06-01T00:00:00.000Z');
    const oldKey = generateSigningKey(ORIGIN);
    const newKey = generateSigningKey(ORIGIN);
    const keys: VerifierKey[] = [
      verifierKeyFromVkey(oldKey.vkey, { notBefore: '2024-01-01T00:00:00.000Z', notAfter: rotation }),
      verifierKeyFromVkey(newKey.vkey, { notBefore: rotation }),
    ];
    const at = (iso: string) => ({ ...input, time: iso });

    it('picks the key by key id and accepts checkpoints inside its window', () => {
      expect(verifyCheckpoint(signCheckpoint(at('2025-05-31T23:59:59.999Z'), oldKey), keys).verifiedBy.keyId).toBe(oldKey.keyId);
      expect(verifyCheckpoint(signCheckpoint(at('2025-06-01T00:00:00.000Z'), oldKey), keys).verifiedBy.keyId).toBe(oldKey.keyId);
      expect(verifyCheckpoint(signCheckpoint(at('2025-06-01T00:00:00.000Z'), newKey), keys).verifiedBy.keyId).toBe(newKey.keyId);
      expect(verifyCheckpoint(signCheckpoint(at('2030-01-01T00:00:00.000Z'), newKey), keys).verifiedBy.keyId).toBe(newKey.keyId);
    });

    it('rejects a checkpoint dated outside the signing key’s window, saying so', () => {
      const late = failure(() => verifyCheckpoint(signCheckpoint(at('2025-06-01T00:00:00.001Z'), oldKey), keys));
      expect(late.reason).toBe('key_not_valid_at_time');
      expect(late.message).toContain('2025-06-01T00:00:00.001Z');
      expect(late.message).toContain(oldKey.keyId);
      expect(failure(() => verifyCheckpoint(signCheckpoint(at('2025-05-01T00:00:00.000Z'), newKey), keys)).reason).toBe(
        'key_not_valid_at_time',
      );
      expect(failure(() => verifyCheckpoint(signCheckpoint(at('2023-12-31T23:59:59.999Z'), oldKey), keys)).reason).toBe(
        'key_not_valid_at_time',
      );
    });

    it('accepts a checkpoint signed by both keys during a rotation if one is in its window', () => {
      const note = signCheckpoint(at('2025-07-01T00:00:00.000Z'), [oldKey, newKey]);
      expect(verifyCheckpoint(note, keys).verifiedBy.keyId).toBe(newKey.keyId);
    });

    it('requires a time line, and cannot check a window without one', () => {
      const untimed = signNote(`${ORIGIN}\n5\n${root.toString('base64')}\n`, [newKey]);
      expect(failure(() => verifyCheckpoint(untimed, keys)).reason).toBe('missing_time');
      expect(failure(() => verifyCheckpoint(untimed, keys, { requireTime: false })).reason).toBe('missing_time');
      expect(verifyCheckpoint(untimed, [verifierKeyFromVkey(newKey.vkey)], { requireTime: false }).time).toBeNull();
    });
  });

  it('rejects garbage and malformed checkpoints as malformed, never as valid', () => {
    const note = signCheckpoint(input, key);
    const body = formatCheckpointBody(input);
    const sign = (text: string) => signNote(text, [key]);
    const cases: Record<string, string> = {
      empty: '',
      'random text': 'lorem ipsum dolor sit amet',
      'random bytes': randomBytes(200).toString('latin1'),
      'no signatures': body,
      'CRLF line endings': note.replaceAll('\n', '\r\n'),
      'two lines only': sign(`${ORIGIN}\n5\n`),
      'leading zero size': sign(body.replace('\n1234567\n', '\n01234567\n')),
      'negative size': sign(body.replace('\n1234567\n', '\n-1\n')),
      'unsafe size': sign(body.replace('\n1234567\n', '\n9007199254740993\n')),
      'short root': sign(body.replace(root.toString('base64'), root.subarray(1).toString('base64'))),
      'hex root': sign(body.replace(root.toString('base64'), root.toString('hex'))),
      'non-canonical base64': sign(body.replace(root.toString('base64'), nonCanonicalBase64(root))),
      'empty extension line': sign(body + '\n'),
      'two time lines': sign(body + 'time 2025-03-04T05:06:07.089Z\n'),
      'time without milliseconds': sign(body.replace('05:06:07.089Z', '05:06:07Z')),
      'time with offset': sign(body.replace('05:06:07.089Z', '05:06:07.089+00:00')),
      'impossible date': sign(body.replace('2025-03-04', '2025-02-30')),
      'empty tree with a non-empty root': sign(body.replace('\n1234567\n', '\n0\n')),
      'empty origin': sign(body.replace(ORIGIN, '')),
    };
    for (const [what, text] of Object.entries(cases)) {
      expect(failure(() => verifyCheckpoint(text, trusted)).reason, what).toBe('malformed');
    }
    const error = (() => {
      try {
        parseCheckpoint('garbage');
      } catch (e) {
        return e as CheckpointError;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error?.code).toBe('invalid_argument');
  });

  it('accepts the empty tree with the empty-tree root', () => {
    const note = signCheckpoint({ ...input, treeSize: 0, rootHash: emptyRoot() }, key);
    expect(verifyCheckpoint(note, trusted).treeSize).toBe(0);
  });

  it('refuses to sign what it could not verify', () => {
    expect(failure(() => signCheckpoint({ ...input, treeSize: -1 }, key)).reason).toBe('malformed');
    expect(failure(() => signCheckpoint({ ...input, rootHash: Buffer.alloc(31) }, key)).reason).toBe('malformed');
    expect(failure(() => signCheckpoint({ ...input, time: 'yesterday' }, key)).reason).toBe('malformed');
    expect(failure(() => signCheckpoint({ ...input, origin: 'a\nb' }, key)).reason).toBe('malformed');
    expect(failure(() => signCheckpoint({ ...input, extensions: ['time 2020-01-01T00:00:00.000Z'] }, key)).reason).toBe(
      'malformed',
    );
  });
});
