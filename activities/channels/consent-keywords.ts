// The carriers' and Twilio's standard keywords, matched as the whole message.
const OPT_OUT = new Set(['stop', 'stopall', 'stop all', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'opt out', 'revoke', 'opt-out']);
const OPT_IN = new Set(['start', 'unstop', 'yes', 'subscribe', 'optin', 'opt in', 'opt-in']);

export type ConsentAction = 'opt_out' | 'opt_in';

/** The opt-out or opt-in a message asks for, or null: only a message that is just the keyword counts. */
export function consentKeyword(text: string): { action: ConsentAction; keyword: string } | null {
  const word = text.trim().toLowerCase().replace(/[.!?\s]+$/g, '').replace(/^[.!?\s]+/g, '');
  if (OPT_OUT.has(word)) return { action: 'opt_out', keyword: word.toUpperCase() };
  if (OPT_IN.has(word)) return { action: 'opt_in', keyword: word.toUpperCase() };
  return null;
}

/**
 * Channels where a keyword changes consent (email unsubscribes by link, the widget has no
 * marketing; Chatwoot relays WhatsApp, SMS and the like). On SMS the carrier or Twilio confirms the keyword itself and blocks further sends
 * until START, so we send no confirmation of our own there.
 */
export const KEYWORD_CHANNELS = new Set(['whatsapp', 'sms', 'instagram', 'telegram', 'chatwoot']);
export const CONFIRMS_ITSELF = new Set(['sms']);
