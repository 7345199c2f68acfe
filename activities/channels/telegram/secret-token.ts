import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a webhook's `X-Telegram-Bot-Api-Secret-Token` is the one given to setWebhook. Compared in
 * constant time over digests, so neither the secret's content nor its length leaks.
 */
export function secretTokenMatches(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string' || !expected) return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
