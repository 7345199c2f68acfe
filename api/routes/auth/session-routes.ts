import { createRoute, z } from '@hono/zod-openapi';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { tenants, users } from '../../../db/schema/index.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { endSession, rotateSession, startSession } from '../../auth/sessions.js';
import { AppError, ErrorBody } from '../../errors.js';
import { rateLimit } from '../../middleware/rate-limit.js';
import { jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { Email, Password, SessionView, TokenPair } from './schemas.js';

const authLimit = rateLimit({ bucket: 'auth', windowMs: 60_000, limit: (c) => c.get('deps').config.AUTH_RATE_LIMIT_PER_MINUTE });

export const sessionRoutes = newRouter();
sessionRoutes.use('/signup', authLimit);
sessionRoutes.use('/login', authLimit);
sessionRoutes.use('/refresh', authLimit);

const errors = { 400: jsonResponse('Invalid input', ErrorBody), 401: jsonResponse('Not authenticated', ErrorBody), 429: jsonResponse('Rate limited', ErrorBody) };

sessionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/signup',
    tags: ['auth'],
    summary: 'Create a workspace (tenant) and its owner',
    request: jsonBody(z.object({ workspaceName: Text(1, 120), name: Text(1, 120), email: Email, password: Password })),
    responses: { 201: jsonResponse('Signed up', SessionView), 409: jsonResponse('Email taken', ErrorBody), ...errors },
  }),
  async (c) => {
    const { db, config } = c.get('deps');
    const body = c.req.valid('json');
    const passwordHash = await hashPassword(body.password);
    const result = await db.transaction(async (tx) => {
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, body.email));
      if (taken) throw new AppError('conflict', 'an account with this email already exists', [{ field: 'email', message: 'already registered' }]);
      const [tenant] = await tx.insert(tenants).values({ name: body.workspaceName, widgetKey: `wk_${randomBytes(16).toString('hex')}` }).returning();
      const [user] = await tx.insert(users).values({ tenantId: tenant.id, email: body.email, name: body.name, passwordHash, role: 'owner' }).returning();
      return { tenant, user };
    });
    const tokens = await startSession(db, config, result.user);
    return c.json({ ...tokens, user: userView(result.user), tenant: tenantView(result.tenant) }, 201);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/login',
    tags: ['auth'],
    summary: 'Log in with email and password',
    request: jsonBody(z.object({ email: Email, password: z.string().min(1).max(200) })),
    responses: { 200: jsonResponse('Logged in', SessionView), ...errors },
  }),
  async (c) => {
    const { db, config } = c.get('deps');
    const { email, password } = c.req.valid('json');
    const [row] = await db.select({ user: users, tenant: tenants }).from(users).innerJoin(tenants, eq(tenants.id, users.tenantId)).where(eq(users.email, email));
    if (!(await verifyPassword(row?.user.passwordHash ?? null, password)) || !row) {
      throw new AppError('unauthorized', 'email or password is incorrect');
    }
    const tokens = await startSession(db, config, row.user);
    return c.json({ ...tokens, user: userView(row.user), tenant: tenantView(row.tenant) }, 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/refresh',
    tags: ['auth'],
    summary: 'Rotate a refresh token; reusing an old one revokes the whole chain',
    request: jsonBody(z.object({ refreshToken: z.string().min(1).max(200) })),
    responses: { 200: jsonResponse('New tokens', TokenPair), ...errors },
  }),
  async (c) => {
    const { db, config } = c.get('deps');
    return c.json(await rotateSession(db, config, c.req.valid('json').refreshToken), 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/logout',
    tags: ['auth'],
    summary: 'Revoke a refresh token and its chain',
    request: jsonBody(z.object({ refreshToken: z.string().min(1).max(200) })),
    responses: { 204: { description: 'Logged out' }, 400: errors[400] },
  }),
  async (c) => {
    await endSession(c.get('deps').db, c.req.valid('json').refreshToken);
    return c.body(null, 204);
  },
);

export const userView = (u: typeof users.$inferSelect) => ({ id: u.id, email: u.email, name: u.name, role: u.role, tenantId: u.tenantId });
export const tenantView = (t: typeof tenants.$inferSelect) => ({ id: t.id, name: t.name, widgetKey: t.widgetKey });
