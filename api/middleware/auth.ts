import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context.js';
import { AppError } from '../errors.js';
import { verifyAccessToken } from '../auth/tokens.js';

/** Bearer token from the header, or `access_token` in the query for EventSource, which cannot set headers. */
export function bearerToken(header: string | undefined, query: string | undefined): string | undefined {
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return query || undefined;
}

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header('authorization'), c.req.query('access_token'));
  if (!token) throw new AppError('unauthorized', 'missing bearer token');
  c.set('principal', await verifyAccessToken(token, c.get('deps').config.JWT_SECRET));
  await next();
});
