import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

/** Kept under the outbox lease (30 s), so an attempt that timed out has let go before the next one sends. */
const TIMEOUT_MS = 15_000;

/**
 * The SDK's own HTTP client, pointed elsewhere: tests and the offline demo give a local server that
 * speaks Twilio's API. The SDK still builds every request (paths, form encoding, Basic auth); only
 * the origin of `https://*.twilio.com` URLs is swapped.
 */
class RedirectingRequestClient extends twilio.RequestClient {
  constructor(private readonly base: URL) {
    super({ timeout: TIMEOUT_MS, keepAlive: true });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    if (uri.hostname === 'twilio.com' || uri.hostname.endsWith('.twilio.com')) {
      uri.protocol = this.base.protocol;
      uri.host = this.base.host;
      uri.pathname = this.base.pathname.replace(/\/$/, '') + uri.pathname;
    }
    return super.request<TData>({ ...opts, uri: uri.href });
  }
}

/**
 * Builds Twilio clients for one process. One HTTP client (its keep-alive sockets) is shared by every
 * account; each client carries its own account's credentials, which the SDK adds per request.
 * Twilio's own 429 retries are off: the activity's retry policy owns retrying.
 */
export function twilioClientFactory(apiUrl?: string) {
  const httpClient = apiUrl ? new RedirectingRequestClient(new URL(apiUrl)) : new twilio.RequestClient({ timeout: TIMEOUT_MS, keepAlive: true });
  return (accountSid: string, authToken: string) => twilio(accountSid, authToken, { httpClient, autoRetry: false });
}

export type TwilioClientFactory = ReturnType<typeof twilioClientFactory>;
