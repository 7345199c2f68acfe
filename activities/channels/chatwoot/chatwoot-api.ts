import { ApplicationFailure } from '@temporalio/common';
import { BlockedAddressError, guardedRequest } from '../../http/guarded-request.js';

/** Chatwoot answers within its own request timeout; this bounds a hung installation well inside the outbox lease. */
const TIMEOUT_MS = 10_000;

export interface ChatwootTarget {
  baseUrl: string;
  apiAccessToken: string;
  allowPrivateNetworks: boolean;
}

/**
 * One call to a tenant's Chatwoot. The base URL is the tenant's, so it goes through the guarded
 * client (no private addresses unless the operator allows them, no redirects, bounded size).
 * Failures become Temporal's vocabulary: what retrying cannot fix is non-retryable, with a reason
 * a person can act on; rate limits, 5xx and network trouble are retried.
 */
export async function chatwootCall<T>(target: ChatwootTarget, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const url = `${target.baseUrl.replace(/\/+$/, '')}${path}`;
  let res;
  try {
    res = await guardedRequest({
      url,
      method,
      headers: { api_access_token: target.apiAccessToken, accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: TIMEOUT_MS,
      allowPrivateNetworks: target.allowPrivateNetworks,
      maxResponseBytes: 1024 * 1024,
    });
  } catch (err) {
    if (err instanceof BlockedAddressError) throw ApplicationFailure.nonRetryable(`the Chatwoot URL is not allowed: ${err.message}`, 'ChatwootUrlBlocked');
    throw ApplicationFailure.retryable(`Chatwoot did not answer: ${(err as Error).message}`, 'ChatwootUnreachable');
  }
  if (res.status >= 200 && res.status < 300) {
    try {
      return JSON.parse(res.body) as T;
    } catch {
      throw ApplicationFailure.retryable(`Chatwoot answered ${method} ${path} with something other than JSON`, 'ChatwootBadResponse');
    }
  }
  const detail = errorText(res.body);
  if (res.status === 401 || res.status === 403) {
    throw ApplicationFailure.nonRetryable(`Chatwoot refused the API access token (${res.status}${detail ? `: ${detail}` : ''}); use a user's access token from Chatwoot's profile settings`, 'ChatwootUnauthorized');
  }
  if (res.status === 404) throw ApplicationFailure.nonRetryable(`Chatwoot has no ${path} (404); check the account id and that the conversation still exists`, 'ChatwootNotFound');
  if (res.status === 429 || res.status >= 500) throw ApplicationFailure.retryable(`Chatwoot answered ${res.status}${detail ? `: ${detail}` : ''}`, 'ChatwootUnavailable');
  throw ApplicationFailure.nonRetryable(`Chatwoot rejected the request (${res.status}${detail ? `: ${detail}` : ''})`, 'ChatwootRejected');
}

/** Chatwoot's error bodies: `{ error: "…" }`, or `{ message: "…" }` / `{ errors: [...] }` from validations. */
function errorText(body: string): string {
  try {
    const j = JSON.parse(body) as { error?: unknown; message?: unknown; errors?: unknown };
    const text = j.error ?? j.message ?? (Array.isArray(j.errors) ? j.errors.join('; ') : undefined);
    return typeof text === 'string' ? text.slice(0, 200) : '';
  } catch {
    return '';
  }
}
