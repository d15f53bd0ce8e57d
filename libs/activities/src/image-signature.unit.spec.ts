import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkImageSignature, trustedImageKey } from './image-signature';

const pair = () => generateKeyPairSync('ed25519');
const pem = (key: ReturnType<typeof pair>['publicKey']) => key.export({ type: 'spki', format: 'pem' }).toString();
const sha256 = createHash('sha256').update('ESXi image').digest('hex');
const signWith = (key: ReturnType<typeof pair>['privateKey'], digest = sha256) => sign(null, Buffer.from(digest, 'hex'), key).toString('base64');

describe('checkImageSignature', () => {
  const release = pair();
  const other = pair();
  const keys = [trustedImageKey('release.pem', pem(release.publicKey))];

  it('verifies a signature of the digest under a trusted key, naming the key', () => {
    expect(checkImageSignature(sha256, signWith(release.privateKey), keys)).toEqual({ status: 'verified', keyId: 'release.pem' });
  });
  it('calls an image without a signature missing when keys are trusted', () => {
    expect(checkImageSignature(sha256, undefined, keys)).toEqual({ status: 'missing', trustedKeys: ['release.pem'] });
  });
  it('finds a signature by another key, or of another digest, invalid', () => {
    expect(checkImageSignature(sha256, signWith(other.privateKey), keys).status).toBe('invalid');
    const otherDigest = createHash('sha256').update('another image').digest('hex');
    expect(checkImageSignature(sha256, signWith(release.privateKey, otherDigest), keys).status).toBe('invalid');
    expect(checkImageSignature(sha256, 'AAAA', keys)).toEqual({ status: 'invalid', detail: 'it is 3 bytes, an Ed25519 signature is 64 (base64)' });
  });
  it('requires nothing when the worker trusts no keys', () => {
    expect(checkImageSignature(sha256, undefined, [])).toEqual({ status: 'not-required' });
    expect(checkImageSignature(sha256, signWith(other.privateKey), [])).toEqual({ status: 'not-required' });
  });
  it('refuses keys that are not Ed25519 public keys, naming the file', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => trustedImageKey('rsa.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString())).toThrow('trusted image key rsa.pem is a rsa key; image signatures are Ed25519');
    expect(() => trustedImageKey('junk.pem', 'junk')).toThrow(/^trusted image key junk.pem is not a PEM public key/);
  });
});
