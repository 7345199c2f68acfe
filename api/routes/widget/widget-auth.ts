import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../context.js';
import { AppError } from '../../errors.js';
import { bearerToken } from '../../middleware/auth.js';
import { verifyWidgetToken } from '../../auth/tokens.js';

export const requireVisitor = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header('authorization'), c.req.query('token'));
  if (!token) throw new AppError('unauthorized', 'missing widget session token');
  c.set('visitor', await verifyWidgetToken(token, c.get('deps').config.JWT_SECRET));
  await next();
});
