import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sameSecret, verifyMetaSignature } from './webhook-signature.js';

const secret = 'app-secret-0123456789abcdef';
const body = Buffer.from('{"object":"instagram","entry":[{"id":"1","messaging":[]}],"note":"caf\\u00e9 ☕"}');
const sign = (b: Uint8Array, s = secret) => `sha256=${createHmac('sha256', s).update(b).digest('hex')}`;

describe('verifyMetaSignature', () => {
  it('accepts the HMAC of the exact raw bytes, in either hex case', () => {
    expect(verifyMetaSignature(secret, body, sign(body))).toBe(true);
    expect(verifyMetaSignature(secret, body, sign(body).toUpperCase().replace('SHA256=', 'sha256='))).toBe(true);
  });

  it('rejects every forged, truncated or missing signature', () => {
    const good = sign(body);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    const variants: Array<string | undefined | null> = [
      undefined,
      null,
      '',
      'sha256=',
      good.slice(7), // no prefix
      good.replace('sha256=', 'sha1='),
      good.slice(0, -2),
      `${good}00`,
      good.slice(0, -1) + (good.endsWith('0') ? '1' : '0'),
      sign(body, 'another-app-secret-000000'),
      sign(reserialised), // the same JSON re-serialised: different bytes
      `sha256=${'0'.repeat(64)}`,
      `sha256=${'z'.repeat(64)}`,
    ];
    for (const v of variants) expect(verifyMetaSignature(secret, body, v), String(v)).toBe(false);
  });
});

describe('sameSecret', () => {
  it('matches only the exact secret', () => {
    expect(sameSecret('verify-me-please', 'verify-me-please')).toBe(true);
    for (const v of [undefined, null, '', 'verify-me-pleas', 'verify-me-please ', 'VERIFY-ME-PLEASE']) expect(sameSecret(v, 'verify-me-please')).toBe(false);
  });
});
