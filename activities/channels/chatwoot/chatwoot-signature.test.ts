import { describe, expect, it } from 'vitest';
import { MAX_SKEW_SECONDS, chatwootSignature, verifyChatwootWebhook } from './chatwoot-signature.js';

const secret = 'cw-webhook-secret-0123456789';
const body = '{"event":"message_created","id":1}';
const now = 1_790_000_000;
const ts = String(now);
const valid = { rawBody: body, signature: chatwootSignature(secret, ts, body), timestamp: ts, token: undefined, acceptToken: true, secret, nowSeconds: now };

describe('Chatwoot webhook signatures', () => {
  it('accepts the signature Chatwoot computes: sha256= HMAC-SHA256 of "<timestamp>.<body>"', () => {
    // Computed independently: printf '%s' '1790000000.{"event":"message_created","id":1}' | openssl dgst -sha256 -hmac cw-webhook-secret-0123456789
    expect(chatwootSignature(secret, ts, body)).toBe('sha256=1b7a8442c35fd9702b2ae5af6f44737ceccf67cd467c58fd0aa33a82f999f049');
    expect(verifyChatwootWebhook(valid)).toEqual({ ok: true, via: 'signature' });
    expect(verifyChatwootWebhook({ ...valid, nowSeconds: now + MAX_SKEW_SECONDS })).toEqual({ ok: true, via: 'signature' });
  });

  it('rejects every forgery and omission', () => {
    const hmacOfBodyOnly = `sha256=${chatwootSignature(secret, '', body).slice(7)}`;
    const variants = [
      { ...valid, signature: undefined, timestamp: undefined },
      { ...valid, signature: undefined },
      { ...valid, timestamp: undefined },
      { ...valid, signature: '' },
      { ...valid, signature: 'sha256=' },
      { ...valid, signature: chatwootSignature('another-secret-entirely', ts, body) },
      { ...valid, signature: chatwootSignature(secret, ts, body).replace('sha256=', 'sha1=') },
      { ...valid, signature: chatwootSignature(secret, ts, body).toUpperCase() },
      { ...valid, signature: hmacOfBodyOnly },
      { ...valid, rawBody: body.replace('1', '2') },
      { ...valid, rawBody: `${body} ` },
      { ...valid, timestamp: String(now + 1) },
      { ...valid, timestamp: 'abc' },
      { ...valid, nowSeconds: now + MAX_SKEW_SECONDS + 1 },
      { ...valid, nowSeconds: now - MAX_SKEW_SECONDS - 1 },
      // A signed delivery is never downgraded to the URL token.
      { ...valid, signature: 'sha256=00', token: secret },
      { ...valid, signature: undefined, timestamp: undefined, token: 'wrong-token-0000000000' },
      { ...valid, signature: undefined, timestamp: undefined, token: '' },
      { ...valid, signature: undefined, timestamp: undefined, token: secret.slice(0, -1) },
      { ...valid, secret: '', signature: chatwootSignature('', ts, body) },
      { ...valid, secret: '', signature: undefined, timestamp: undefined, token: '' },
    ];
    for (const [i, v] of variants.entries()) expect(verifyChatwootWebhook(v).ok, `variant ${i}`).toBe(false);
  });

  it('accepts the URL token only on an unsigned delivery (Chatwoot before v4.11.2)', () => {
    expect(verifyChatwootWebhook({ ...valid, signature: undefined, timestamp: undefined, token: secret })).toEqual({ ok: true, via: 'token' });
    // Not unless the connection opted in.
    expect(verifyChatwootWebhook({ ...valid, signature: undefined, timestamp: undefined, token: secret, acceptToken: false }).ok).toBe(false);
  });
});
