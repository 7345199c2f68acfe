import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { decryptCredential, encryptCredential, parseMasterKey, sealCredential } from './credential-crypto.js';

const key = parseMasterKey(randomBytes(32).toString('base64'));

describe('credential encryption', () => {
  it('round-trips, with a fresh IV every time', () => {
    const a = encryptCredential(key, 'tenant-a', 'cred-1', 'sk-test-123');
    const b = encryptCredential(key, 'tenant-a', 'cred-1', 'sk-test-123');
    expect(a).not.toBe(b);
    expect(a).not.toContain('sk-test-123');
    expect(decryptCredential(key, 'tenant-a', 'cred-1', a)).toBe('sk-test-123');
  });

  it('refuses a ciphertext moved to another tenant or credential, tampered with, or under another key', () => {
    const sealed = encryptCredential(key, 'tenant-a', 'cred-1', 'sk-test-123');
    expect(() => decryptCredential(key, 'tenant-b', 'cred-1', sealed)).toThrow();
    expect(() => decryptCredential(key, 'tenant-a', 'cred-2', sealed)).toThrow();
    const parts = sealed.split(':');
    const flipped = Buffer.from(parts[3], 'base64');
    flipped[0] ^= 1;
    expect(() => decryptCredential(key, 'tenant-a', 'cred-1', [...parts.slice(0, 3), flipped.toString('base64')].join(':'))).toThrow();
    expect(() => decryptCredential(parseMasterKey(randomBytes(32).toString('base64')), 'tenant-a', 'cred-1', sealed)).toThrow();
  });

  it('seals a secret with a hint of its last four characters', () => {
    const { sealed, hint } = sealCredential(key, 'tenant-a', 'cred-1', 'sk-test-123');
    expect(hint).toBe('…-123');
    expect(decryptCredential(key, 'tenant-a', 'cred-1', sealed)).toBe('sk-test-123');
  });

  it('accepts only a 32-byte master key', () => {
    expect(() => parseMasterKey(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
