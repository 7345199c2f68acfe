import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta signs each webhook delivery with the app secret: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256
 * of the raw body>`. The HMAC must be computed over the exact bytes received (re-serialised JSON
 * differs in escapes and spacing), and compared in constant time.
 */
export function verifyMetaSignature(appSecret: string, rawBody: Uint8Array, header: string | undefined | null): boolean {
  if (!header) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

/** Constant-time text equality that leaks neither content nor length (both sides are hashed first). */
export function sameSecret(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
