import { createVerify } from 'node:crypto';
import { z } from 'zod';

/** The envelope SNS posts to an HTTP(S) subscriber (all types share it; fields vary by Type). */
export const SnsEnvelope = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().min(1).max(256),
  TopicArn: z.string().min(1).max(512),
  Message: z.string(),
  Timestamp: z.string().min(1),
  Subject: z.string().optional(),
  Token: z.string().optional(),
  SubscribeURL: z.string().optional(),
  SignatureVersion: z.string(),
  Signature: z.string().min(1),
  SigningCertURL: z.string().min(1),
});
export type SnsEnvelope = z.infer<typeof SnsEnvelope>;

/** The real SNS certificate host: https, sns.<region>.amazonaws.com (or .com.cn). */
export const DEFAULT_SNS_CERT_URL_PATTERN = '^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/';

// Which fields are signed, in order, per the SNS documentation; Subject only when present.
const SIGNED_FIELDS: Record<SnsEnvelope['Type'], ReadonlyArray<keyof SnsEnvelope>> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

const ALGORITHMS: Record<string, string> = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' };

/** The string SNS signs: each present field as "Name\nvalue\n". */
export function snsStringToSign(m: Pick<SnsEnvelope, 'Type'> & Partial<SnsEnvelope>): string {
  return SIGNED_FIELDS[m.Type]
    .filter((k) => m[k] !== undefined)
    .map((k) => `${k}\n${m[k]}\n`)
    .join('');
}

/** Whether a URL may be fetched as an SNS certificate or confirmation link (https on AWS's host in production). */
export function isSnsUrl(url: string, pattern: RegExp, requirePem: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // The pattern is checked against the normalised URL, so `user@host` and odd casing cannot slip past it.
  if (parsed.username || parsed.password || !pattern.test(parsed.href)) return false;
  return !requirePem || parsed.pathname.endsWith('.pem');
}

export class SnsVerificationError extends Error {}

export interface SnsVerifyOptions {
  certUrlPattern: RegExp;
  /** The PEM certificate at a URL that passed the pattern (cached by the caller). */
  fetchCert(url: string): Promise<string>;
}

/**
 * Checks an SNS message's signature against the certificate it names, after checking that the
 * certificate comes from SNS itself: the signature proves nothing when the signer picks the key.
 * Throws SnsVerificationError on any failure.
 */
export async function verifySnsMessage(m: SnsEnvelope, opts: SnsVerifyOptions): Promise<void> {
  const algorithm = ALGORITHMS[m.SignatureVersion];
  if (!algorithm) throw new SnsVerificationError(`unsupported SignatureVersion ${m.SignatureVersion}`);
  if (!isSnsUrl(m.SigningCertURL, opts.certUrlPattern, true)) throw new SnsVerificationError('SigningCertURL is not an SNS certificate URL');
  if (m.Type !== 'Notification' && (!m.Token || !m.SubscribeURL)) throw new SnsVerificationError(`${m.Type} without Token or SubscribeURL`);
  let cert: string;
  try {
    cert = await opts.fetchCert(m.SigningCertURL);
  } catch (err) {
    throw new SnsVerificationError(`the signing certificate could not be fetched: ${(err as Error).message}`);
  }
  let ok = false;
  try {
    ok = createVerify(algorithm).update(snsStringToSign(m), 'utf8').verify(cert, m.Signature, 'base64');
  } catch {
    ok = false;
  }
  if (!ok) throw new SnsVerificationError('the signature does not match');
}

/** Fetches and caches SNS signing certificates: SNS rotates them rarely and every message names one. */
export function snsCertCache(maxEntries = 50, timeoutMs = 5_000) {
  const cache = new Map<string, Promise<string>>();
  return async (url: string): Promise<string> => {
    let hit = cache.get(url);
    if (!hit) {
      hit = fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' }).then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const pem = await res.text();
        if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('not a PEM certificate');
        return pem;
      });
      // A failed fetch is not remembered, so the next delivery tries again.
      hit.catch(() => cache.delete(url));
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(url, hit);
    }
    return hit;
  };
}
