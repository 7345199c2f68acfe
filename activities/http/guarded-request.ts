import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from './private-address.js';

export class BlockedAddressError extends Error {}

export interface GuardedRequest {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** The operator's switch: self-hosters calling their own intranet turn this on. */
  allowPrivateNetworks: boolean;
  maxResponseBytes?: number;
}

export interface GuardedResponse {
  status: number;
  body: string;
}

/**
 * Resolves the host and refuses private addresses at connect time, on the very address the socket
 * uses, so a name that resolves to a public address for a check and a private one for the request
 * (DNS rebinding) is still refused.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => !allowPrivate && isPrivateAddress(a.address));
      if (bad) return callback(new BlockedAddressError(`${hostname} resolves to a private address (${bad.address})`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** One HTTP call to a tenant-configured URL: no redirects followed, bounded time and response size. */
export function guardedRequest(req: GuardedRequest): Promise<GuardedResponse> {
  const url = new URL(req.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new BlockedAddressError('only http and https URLs are allowed'));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Literal addresses skip the lookup, so check them here.
  if (!req.allowPrivateNetworks && /^[\d.]+$|:/.test(host) && isPrivateAddress(host)) {
    return Promise.reject(new BlockedAddressError(`${host} is a private address`));
  }
  const max = req.maxResponseBytes ?? 64 * 1024;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = send(
      url,
      { method: req.method, headers: req.headers, lookup: guardedLookup(req.allowPrivateNetworks), timeout: req.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > max) {
            r.destroy(new Error(`the response is larger than ${max} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no response within ${req.timeoutMs} ms`)));
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

// A host found public is not looked up again for a minute: the check runs before every model call,
// and a lookup each time would cost every reply a round trip to the resolver. It buys no safety
// against rebinding either way (above); a private answer is never kept.
const PUBLIC_FOR_MS = 60_000;
const publicUntil = new Map<string, number>();

/**
 * For clients that do their own connecting (the LLM SDKs): refuses a URL whose host resolves to a
 * private address. Unlike guardedRequest it checks before the SDK connects, so a host that changes
 * its answer in between (DNS rebinding) is not caught; the operator switch is the real boundary.
 */
export async function assertPublicUrl(url: string, allowPrivateNetworks: boolean, resolve = lookupAll): Promise<void> {
  if (allowPrivateNetworks) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if ((publicUntil.get(host) ?? 0) > Date.now()) return;
  const addresses = /^[\d.]+$|:/.test(host) ? [{ address: host }] : await resolve(host);
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  if (bad) throw new BlockedAddressError(`${host} resolves to a private address (${bad.address})`);
  if (publicUntil.size >= 1000) publicUntil.clear();
  publicUntil.set(host, Date.now() + PUBLIC_FOR_MS);
}

const lookupAll = (host: string) =>
  new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(host, { all: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))));
