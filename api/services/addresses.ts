import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Lower-cased and trimmed; `Name <a@b>` forms are reduced to the address. */
export function normaliseEmail(input: string): string | null {
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(input);
  const address = (m ? m[1] : input).trim().toLowerCase();
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address) ? address : null;
}

/**
 * E.164, or null when it is not a possible number. A number written without its country code is
 * read in `defaultCountry` (the connection's country, when it has one). Twilio's `whatsapp:` prefix
 * is dropped: the same person on WhatsApp and SMS is one contact.
 */
export function normalisePhone(input: string, defaultCountry?: string): string | null {
  const raw = input.trim().replace(/^whatsapp:/i, '');
  const parsed = parsePhoneNumberFromString(raw, defaultCountry as CountryCode | undefined);
  return parsed?.isPossible() ? parsed.number : null;
}
