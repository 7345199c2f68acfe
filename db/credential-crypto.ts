import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Per-tenant secrets (provider API keys, channel tokens) are encrypted with AES-256-GCM. The
 * additional authenticated data binds each ciphertext to its tenant and credential id, so a
 * ciphertext copied to another tenant's row, or another credential, does not decrypt.
 */
const VERSION = 'v1';

export function parseMasterKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error('the credentials master key must be 32 bytes, base64-encoded');
  return key;
}

const aad = (tenantId: string, credentialId: string) => Buffer.from(`${tenantId}:${credentialId}`, 'utf8');

export function encryptCredential(masterKey: Buffer, tenantId: string, credentialId: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(aad(tenantId, credentialId));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
}

/** What is shown in place of a secret: `…` and its last four characters. */
const hintOf = (secret: string) => `…${secret.slice(-4)}`;

/** Seals a secret for storage, with the hint shown in its place. */
export function sealCredential(masterKey: Buffer, tenantId: string, credentialId: string, secret: string): { sealed: string; hint: string } {
  return { sealed: encryptCredential(masterKey, tenantId, credentialId, secret), hint: hintOf(secret) };
}

/** Several secrets of one credential (a channel connection's tokens), sealed together, with a hint for each. */
export function sealSecrets(masterKey: Buffer, tenantId: string, credentialId: string, secrets: Record<string, string>): { sealed: string; hints: Record<string, string> } {
  return {
    sealed: encryptCredential(masterKey, tenantId, credentialId, JSON.stringify(secrets)),
    hints: Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, hintOf(v)])),
  };
}

export function unsealSecrets(masterKey: Buffer, tenantId: string, credentialId: string, sealed: string): Record<string, string> {
  return JSON.parse(decryptCredential(masterKey, tenantId, credentialId, sealed)) as Record<string, string>;
}

export function decryptCredential(masterKey: Buffer, tenantId: string, credentialId: string, sealed: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(':');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed credential');
  const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(iv, 'base64'));
  decipher.setAAD(aad(tenantId, credentialId));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
}
