import { describe, expect, it } from 'vitest';
import { SignedNoteError, type SignedNoteErrorReason } from './integrity-errors.js';
import {
  decodeVerifierKey,
  encodeVerifierKey,
  generateSigningKey,
  keyIdFor,
  parseNote,
  signNote,
  signingKeyFromPrivateKey,
  verifierKeyFromVkey,
  verifyNote,
} from './signed-note.js';

// The example of golang.org/x/mod/sumdb/note, the reference implementation of signed notes.
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_TEXT = 'If you think cryptography is the answer to your problem,\nthen you don\'t know what your problem is.\n';
const GO_NOTE =
  GO_TEXT +
  '\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

function reason(action: () => unknown): SignedNoteErrorReason | 'ok' {
  try {
    action();
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(SignedNoteError);
    return (error as SignedNoteError).reason;
  }
}

describe('signed notes: interoperability with Go sumdb/note', () => {
  it('decodes the Go verifier key and checks its key id', () => {
    const key = decodeVerifierKey(GO_VKEY);
    expect(key.name).toBe('PeterNeumann');
    expect(key.keyId).toBe('c74f20a3');
    expect(keyIdFor(key.name, key.publicKey)).toBe('c74f20a3');
    expect(encodeVerifierKey(key.name, key.publicKey)).toBe(GO_VKEY);
  });

  it('verifies the Go note, and rejects it once altered', () => {
    const verified = verifyNote(GO_NOTE, [verifierKeyFromVkey(GO_VKEY)]);
    expect(verified.text).toBe(GO_TEXT);
    expect(verified.verifiedBy).toEqual({ name: 'PeterNeumann', keyId: 'c74f20a3' });
    expect(reason(() => verifyNote(GO_NOTE.replace('cryptography', 'cryptographY'), [verifierKeyFromVkey(GO_VKEY)]))).toBe(
      'bad_signature',
    );
  });

  it('signs byte for byte like Go (Ed25519 is deterministic)', () => {
    // A Go private key is base64(0x01 || 32-byte seed) after PRIVATE+KEY+<name>+<id>+.
    const material = Buffer.from(GO_SKEY.split('+').slice(4).join('+'), 'base64');
    const key = signingKeyFromPrivateKey('PeterNeumann', material.subarray(1).toString('base64'));
    expect(key.vkey).toBe(GO_VKEY);
    expect(signNote(GO_TEXT, [key])).toBe(GO_NOTE);
  });
});

describe('signed notes', () => {
  const alice = generateSigningKey('alice.example/log');
  const bob = generateSigningKey('bob.example/witness');

  it('round-trips keys through PEM, raw seed and vkey', () => {
    expect(alice.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(signingKeyFromPrivateKey(alice.name, alice.privateKeyPem)).toEqual(alice);
    expect(decodeVerifierKey(alice.vkey)).toEqual({
      name: alice.name,
      keyId: alice.keyId,
      publicKey: Buffer.from(alice.publicKey, 'base64'),
    });
  });

  it('rejects mangled verifier keys', () => {
    const [name, id, material] = [alice.name, alice.keyId, alice.vkey.slice(alice.name.length + 10)];
    expect(reason(() => decodeVerifierKey(`${name}+${id}+${material}`))).toBe('ok');
    expect(reason(() => decodeVerifierKey(`${name}+${id === '00000000' ? '00000001' : '00000000'}+${material}`))).toBe('malformed');
    expect(reason(() => decodeVerifierKey(`other+${id}+${material}`))).toBe('malformed');
    expect(reason(() => decodeVerifierKey(`${name}+${id}`))).toBe('malformed');
    expect(reason(() => decodeVerifierKey(`${name}+${id.toUpperCase()}+${material}`))).toBe(/[a-f]/.test(id) ? 'malformed' : 'ok');
    const wrongType = Buffer.from(material, 'base64');
    wrongType[0] = 0x02;
    expect(reason(() => decodeVerifierKey(`${name}+${id}+${wrongType.toString('base64')}`))).toBe('malformed');
    expect(reason(() => decodeVerifierKey(`${name}+${id}+${material.slice(0, -4)}`))).toBe('malformed');
    expect(reason(() => decodeVerifierKey(`bad name+${id}+${material}`))).toBe('malformed');
  });

  it('ignores signatures from unknown keys, including same name with another key', () => {
    const impostor = generateSigningKey(alice.name);
    const note = signNote('hello\n', [impostor, bob, alice]);
    expect(parseNote(note).signatures.map((s) => s.name)).toEqual([alice.name, bob.name, alice.name]);
    expect(verifyNote(note, [verifierKeyFromVkey(alice.vkey)]).verifiedBy.keyId).toBe(alice.keyId);
    expect(reason(() => verifyNote(signNote('hello\n', [impostor]), [verifierKeyFromVkey(alice.vkey)]))).toBe('unknown_key');
  });

  it('rejects the whole note when a known key’s signature does not verify', () => {
    const good = signNote('hello\n', [alice, bob]);
    const bobLine = good.split('\n').find((line) => line.includes(bob.name))!;
    const forgedBob = bobLine.slice(0, -8) + (bobLine.slice(-8, -7) === 'A' ? 'B' : 'A') + bobLine.slice(-7);
    const note = good.replace(bobLine, forgedBob);
    const keys = [verifierKeyFromVkey(alice.vkey), verifierKeyFromVkey(bob.vkey)];
    expect(reason(() => verifyNote(note, keys))).toBe('bad_signature');
    expect(reason(() => verifyNote(note, keys.slice(0, 1)))).toBe('ok');
  });

  it('refuses malformed notes', () => {
    const note = signNote('hello\n', [alice]);
    const keys = [verifierKeyFromVkey(alice.vkey)];
    for (const bad of [
      '',
      'hello',
      'hello\n',
      note.slice(0, -1),
      note.replace('\n\n', '\n'),
      note.replace('— ', '- '),
      note.replace('hello', 'hel\rlo'),
      note.replace('hello\n', 'hello\r\n'),
      note + '— extra line without signature\n',
      '\n\n' + note.slice(note.indexOf('— ')),
      'hello\n\n' + `— ${alice.name} AAAA\n`,
      'hello\n\n' + `— ${alice.name} not*base64\n`,
      `hello\n\n${Array.from({ length: 101 }, () => note.split('\n')[2]).join('\n')}\n`,
    ]) {
      expect(reason(() => verifyNote(bad, keys)), JSON.stringify(bad)).toBe('malformed');
    }
  });

  it('will not sign text that could not be parsed back', () => {
    expect(reason(() => signNote('no newline', [alice]))).toBe('malformed');
    expect(reason(() => signNote('\n', [alice]))).toBe('malformed');
    expect(reason(() => signNote('tab\there\n', [alice]))).toBe('malformed');
    expect(reason(() => signNote('x\n', []))).toBe('malformed');
    expect(reason(() => generateSigningKey('has space'))).toBe('malformed');
    expect(reason(() => generateSigningKey('has+plus'))).toBe('malformed');
  });
});
