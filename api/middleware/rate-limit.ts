import { getConnInfo } from '@hono/node-server/conninfo';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context.js';
import { AppError } from '../errors.js';

/**
 * A fixed-window limit per client address, in memory: enough for one API process. Behind several
 * replicas the limit applies per replica.
 */
export function rateLimit(opts: { limit: (c: { get: (k: 'deps') => AppEnv['Variables']['deps'] }) => number; windowMs: number; bucket: string }) {
  // Counters belong to one app instance (its deps), not to the module, so two apps never share them.
  const stores = new WeakMap<object, Map<string, { count: number; resetAt: number }>>();
  return createMiddleware<AppEnv>(async (c, next) => {
    const deps = c.get('deps');
    let hits = stores.get(deps);
    if (!hits) stores.set(deps, (hits = new Map()));
    let ip = 'unknown';
    try {
      ip = getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      // app.request() in tests has no socket.
    }
    const key = `${opts.bucket}:${ip}`;
    const now = Date.now();
    let entry = hits.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + opts.windowMs };
      hits.set(key, entry);
      if (hits.size > 10_000) for (const [k, v] of hits) if (v.resetAt <= now) hits.delete(k);
    }
    entry.count++;
    const limit = opts.limit(c);
    c.header('RateLimit-Limit', String(limit));
    c.header('RateLimit-Remaining', String(Math.max(0, limit - entry.count)));
    if (entry.count > limit) {
      c.header('Retry-After', String(Math.ceil((entry.resetAt - now) / 1000)));
      throw new AppError('rate_limited', 'too many requests, try again later');
    }
    await next();
  });
}
