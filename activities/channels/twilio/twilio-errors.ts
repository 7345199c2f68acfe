import { ApplicationFailure } from '@temporalio/common';

/** What Twilio's REST errors carry (the SDK's RestException): the HTTP status and Twilio's own code. */
interface TwilioRestError {
  status: number;
  code?: number;
  message?: string;
  moreInfo?: string;
}

// Codes a retry can never fix, in words an agent reading the inbox understands.
const REASONS: Record<number, string> = {
  20003: 'Twilio rejected the Account SID or Auth Token',
  20404: 'Twilio does not know this account or resource',
  21211: "the customer's number is not a valid phone number",
  21408: 'the account may not send to this region',
  21606: "the 'From' number cannot send messages on this channel",
  21610: 'the customer unsubscribed from this sender (replied STOP)',
  21612: 'Twilio cannot route a message between these two numbers',
  21614: "the customer's number cannot receive text messages",
  63007: 'the WhatsApp sender is not set up on this Twilio account',
  63016: "outside WhatsApp's 24-hour window: only an approved template may be sent",
};

const isRestError = (err: unknown): err is TwilioRestError =>
  typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number' && 'code' in err;

/**
 * Turns a failed Twilio call into what the delivery activity acts on: a non-retryable failure (the
 * message is marked failed with this reason, never sent) for what a retry cannot fix, a retryable
 * one for rate limits, Twilio's own faults and the network. Twilio's code stays in the message, so
 * support can look it up.
 */
export function twilioFailure(err: unknown): ApplicationFailure {
  if (!isRestError(err)) {
    // No answer from Twilio (refused, reset, timed out): whether it sent is unknown, and retrying is the only way to learn.
    return ApplicationFailure.retryable(`Twilio could not be reached: ${(err as Error)?.message ?? String(err)}`, 'TwilioUnavailable');
  }
  const code = err.code ?? err.status;
  const detail = err.message ? `: ${err.message}` : '';
  if (err.status === 429 || err.status >= 500) {
    return ApplicationFailure.retryable(`Twilio answered ${err.status} (error ${code})${detail}`, err.status === 429 ? 'TwilioRateLimited' : 'TwilioUnavailable');
  }
  const reason = REASONS[code] ?? (err.status === 401 ? REASONS[20003] : 'Twilio refused the message');
  return ApplicationFailure.nonRetryable(`${reason} (Twilio error ${code}${detail})`, err.status === 401 || code === 20003 ? 'TwilioUnauthorized' : 'TwilioRejected');
}

// Codes that arrive in failed status callbacks (the carrier's or WhatsApp's verdict, after Twilio accepted).
const DELIVERY_FAILURES: Record<string, string> = {
  '30003': 'the handset is unreachable',
  '30004': 'the customer blocked this sender',
  '30005': 'the number does not exist',
  '30006': 'the number is a landline or cannot receive messages',
  '30007': 'the carrier filtered the message',
  '30008': 'the carrier reported an unknown error',
  '21610': 'the customer unsubscribed from this sender (replied STOP)',
  '63016': "outside WhatsApp's 24-hour window: only an approved template may be sent",
  '63024': 'the recipient is not a valid WhatsApp user',
};

/** A failed status callback as the inbox shows it; Twilio's code stays in it so support can look it up. */
export function describeDeliveryFailure(errorCode: string | undefined, errorMessage: string | undefined): string {
  if (!errorCode) return errorMessage ? `Twilio could not deliver it: ${errorMessage}` : 'Twilio could not deliver it';
  const reason = errorMessage || DELIVERY_FAILURES[errorCode] || 'Twilio could not deliver it';
  return `${reason} (Twilio error ${errorCode})`;
}
