import { ApplicationFailure } from '@temporalio/common';

/** The error object the Graph API answers with. */
export interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  fbtrace_id?: string;
}

// Throttling: application (4), user (17), business-use-case (32, 80002) and per-call (613) limits.
const RATE_LIMITS = new Set([4, 17, 32, 613, 80002]);
// Meta's "temporary" codes: unknown error (1) and service unavailable (2).
const TRANSIENT = new Set([1, 2]);
// Messaging outside the 24-hour standard window: Instagram (2534022) and Messenger-style (2018278).
const WINDOW_SUBCODES = new Set([2534022, 2018278]);

/**
 * What a failed Graph call means for the send: nonRetryable with a reason the inbox can show when
 * no retry can succeed (a bad token, missing permission, a closed window, a recipient that cannot
 * be reached, a request Meta rejects), retryable for throttling and Meta's own faults.
 */
export function graphFailure(status: number, error: GraphError | undefined): ApplicationFailure {
  const code = error?.code;
  const sub = error?.error_subcode;
  const said = `${error?.message ?? `HTTP ${status}`}${code !== undefined ? ` (code ${code}${sub ? `/${sub}` : ''}${error?.fbtrace_id ? `, fbtrace_id ${error.fbtrace_id}` : ''})` : ''}`;
  const refuse = (reason: string, type: string) => ApplicationFailure.nonRetryable(`${reason}: ${said}`, type);
  if ((sub !== undefined && WINDOW_SUBCODES.has(sub)) || code === 2534022) {
    return refuse('Instagram refused it: outside the 24-hour messaging window', 'MessagingWindowClosed');
  }
  if (code === 190) return refuse('the Instagram access token is invalid or expired; reconnect the account', 'InvalidCredentials');
  if (status === 429 || (code !== undefined && RATE_LIMITS.has(code))) return ApplicationFailure.retryable(`Instagram rate limit: ${said}`, 'RateLimited');
  if (code === 10 || code === 200 || code === 3 || (code !== undefined && code >= 200 && code < 300)) {
    return refuse('the Instagram app lacks the permission to send this message', 'PermissionDenied');
  }
  if (code === 551) return refuse('the Instagram user is not available (blocked the account or cannot receive messages)', 'RecipientUnavailable');
  if (code === 100 && sub === 2018001) return refuse('no Instagram user matches this recipient', 'RecipientUnavailable');
  if (status >= 500 || error?.is_transient || (code !== undefined && TRANSIENT.has(code))) return ApplicationFailure.retryable(`Instagram is unavailable: ${said}`, 'ProviderUnavailable');
  // Any other 4xx is Meta rejecting this request as it is: retrying sends the same thing again.
  return refuse('Instagram rejected the message', 'ProviderRejected');
}
