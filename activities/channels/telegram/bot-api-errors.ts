import { ApplicationFailure } from '@temporalio/common';

/** A Bot API failure: `{ ok: false, error_code, description, parameters? }`. */
export interface BotApiError {
  ok: false;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

// Telegram's retry_after is seconds; a longer wait than this is left to the activity's own backoff.
const MAX_RETRY_AFTER_S = 60;

/**
 * What a failed Bot API call means for the send. 400 (bad request: chat not found, text too long),
 * 401 (the token was revoked) and 403 (the user blocked the bot) cannot succeed on retry and fail
 * the message with Telegram's own description; 429 waits the `retry_after` Telegram asks for, and
 * server errors are retried.
 */
export function botApiFailure(status: number, body: Partial<BotApiError> | undefined): ApplicationFailure {
  const code = body?.error_code ?? status;
  const description = body?.description ?? `HTTP ${status}`;
  if (code === 429) {
    const after = body?.parameters?.retry_after;
    return ApplicationFailure.create({
      message: `Telegram rate limit: ${description}`,
      type: 'RateLimited',
      ...(after !== undefined && after > 0 && { nextRetryDelay: `${Math.min(after, MAX_RETRY_AFTER_S)}s` }),
    });
  }
  if (code >= 500 || status >= 500) return ApplicationFailure.retryable(`Telegram is unavailable: ${description}`, 'ProviderUnavailable');
  if (code === 401) return ApplicationFailure.nonRetryable(`the Telegram bot token was rejected (${description}); reconnect the bot`, 'InvalidCredentials');
  if (code === 403) return ApplicationFailure.nonRetryable(`Telegram refused it: ${description}`, 'RecipientUnavailable');
  return ApplicationFailure.nonRetryable(`Telegram rejected the message: ${description}`, 'ProviderRejected');
}
