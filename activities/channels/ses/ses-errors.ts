import { ApplicationFailure } from '@temporalio/common';

// Refusals that sending again cannot change: the message, the sender identity or the credentials are wrong.
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerified',
  'MailFromDomainNotVerifiedException',
  'InvalidParameterValue',
  'ConfigurationSetDoesNotExist',
  'ConfigurationSetDoesNotExistException',
  'AccountSendingPaused',
  'AccountSendingPausedException',
  'ConfigurationSetSendingPausedException',
  'AccessDenied',
  'AccessDeniedException',
  'SignatureDoesNotMatch',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
]);
const TRANSIENT = new Set(['Throttling', 'ThrottlingException', 'RequestTimeout', 'ServiceUnavailable', 'InternalFailure', 'LimitExceeded']);

/**
 * What a failed SES call means for the send: a non-retryable failure (the message is marked failed
 * with SES's reason) or the error itself, which Temporal retries. Throttling, 5xx and network
 * errors are retried; any other 4xx is SES refusing this request, which it would refuse again.
 */
export function sesFailure(err: unknown): Error {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  const reason = `SES ${code}: ${e?.message ?? String(err)}`;
  if (PERMANENT.has(code)) return ApplicationFailure.nonRetryable(reason, code);
  if (TRANSIENT.has(code) || status === undefined || status >= 500 || status === 429) return ApplicationFailure.retryable(reason, code);
  return ApplicationFailure.nonRetryable(reason, code);
}
