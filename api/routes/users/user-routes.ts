import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { invitations, tenants, users } from '../../../db/schema/index.js';
import { hashPassword } from '../../auth/passwords.js';
import { assertCan, assertCanGrant } from '../../auth/permissions.js';
import { ROLES } from '../../auth/principal.js';
import { startSession } from '../../auth/sessions.js';
import { hashOpaqueToken, newOpaqueToken } from '../../auth/tokens.js';
import { AppError, ErrorBody, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { Email, Password, SessionView, TenantView, UserView } from '../auth/schemas.js';
import { tenantView, userView } from '../auth/session-routes.js';

const INVITATION_TTL_MS = 7 * 86_400_000;
const errors = { 400: jsonResponse('Invalid input', ErrorBody), 401: jsonResponse('Not authenticated', ErrorBody), 403: jsonResponse('Forbidden', ErrorBody) };

export const userRoutes = newRouter();

// Accepting an invitation is the one route here that has no logged-in user yet.
userRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/invitations/accept',
    tags: ['users'],
    summary: 'Accept an invitation: creates the user and logs them in',
    request: jsonBody(z.object({ token: z.string().min(1).max(200), name: Text(1, 120), password: Password })),
    responses: { 201: jsonResponse('Joined', SessionView), 404: jsonResponse('Unknown invitation', ErrorBody), 409: jsonResponse('Email taken', ErrorBody), ...errors },
  }),
  async (c) => {
    const { db, config } = c.get('deps');
    const body = c.req.valid('json');
    const passwordHash = await hashPassword(body.password);
    const { user, tenant } = await db.transaction(async (tx) => {
      const [invite] = await tx
        .update(invitations)
        .set({ acceptedAt: sql`now()` })
        .where(and(eq(invitations.tokenHash, hashOpaqueToken(body.token)), isNull(invitations.acceptedAt), gt(invitations.expiresAt, sql`now()`)))
        .returning();
      if (!invite) throw notFound('invitation');
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, invite.email));
      if (taken) throw new AppError('conflict', 'an account with this email already exists');
      const [user] = await tx.insert(users).values({ tenantId: invite.tenantId, email: invite.email, name: body.name, passwordHash, role: invite.role }).returning();
      const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, invite.tenantId));
      return { user, tenant };
    });
    const tokens = await startSession(db, config, user);
    return c.json({ ...tokens, user: userView(user), tenant: tenantView(tenant) }, 201);
  },
);

userRoutes.use('/me', requireUser);
userRoutes.use('/users', requireUser);
userRoutes.use('/invitations', requireUser);

userRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me',
    tags: ['users'],
    summary: 'The current user and workspace',
    security: [{ bearer: [] }],
    responses: { 200: jsonResponse('Me', z.object({ user: UserView, tenant: TenantView })), 401: errors[401] },
  }),
  async (c) => {
    const p = c.get('principal');
    const row = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [r] = await tx.select({ user: users, tenant: tenants }).from(users).innerJoin(tenants, eq(tenants.id, users.tenantId)).where(eq(users.id, p.userId));
      return r;
    });
    if (!row) throw new AppError('unauthorized', 'the user no longer exists');
    return c.json({ user: userView(row.user), tenant: tenantView(row.tenant) }, 200);
  },
);

userRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/users',
    tags: ['users'],
    summary: "The workspace's users",
    security: [{ bearer: [] }],
    responses: { 200: jsonResponse('Users', z.object({ users: z.array(UserView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'users:read');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(users).orderBy(users.createdAt));
    return c.json({ users: rows.map(userView) }, 200);
  },
);

const InvitationView = z
  .object({ id: z.string().uuid(), email: z.string(), role: z.enum(ROLES), expiresAt: z.string(), acceptedAt: z.string().nullable() })
  .openapi('Invitation');
// Only the hash is stored, so the token exists in this one answer, which only owners and admins get.
const CreatedInvitationView = InvitationView.omit({ acceptedAt: true })
  .extend({
    token: z.string().describe('Shown once; send it to the invitee.'),
    acceptPath: z.string().describe("The web app's invite-accept page for this token, relative to the web app's origin."),
  })
  .openapi('CreatedInvitation');

userRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/invitations',
    tags: ['users'],
    summary: "The workspace's invitations, newest first (tokens are never shown again)",
    security: [{ bearer: [] }],
    responses: { 200: jsonResponse('Invitations', z.object({ invitations: z.array(InvitationView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'users:read');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(invitations).orderBy(desc(invitations.createdAt)).limit(200));
    return c.json({ invitations: rows.map((r) => ({ id: r.id, email: r.email, role: r.role, expiresAt: r.expiresAt.toISOString(), acceptedAt: r.acceptedAt?.toISOString() ?? null })) }, 200);
  },
);

userRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/invitations',
    tags: ['users'],
    summary: 'Invite a user with a role',
    security: [{ bearer: [] }],
    request: jsonBody(z.object({ email: Email, role: z.enum(ROLES) })),
    responses: { 201: jsonResponse('Invited', CreatedInvitationView), 409: jsonResponse('Already a user', ErrorBody), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    const body = c.req.valid('json');
    assertCan(p, 'users:invite');
    assertCanGrant(p, body.role);
    const { token, hash } = newOpaqueToken();
    const { db } = c.get('deps');
    const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, body.email));
    if (taken) throw new AppError('conflict', 'this email already has an account', [{ field: 'email', message: 'already registered' }]);
    const [row] = await withTenant(db, p.tenantId, (tx) =>
      tx
        .insert(invitations)
        .values({ tenantId: p.tenantId, email: body.email, role: body.role, tokenHash: hash, invitedBy: p.userId, expiresAt: new Date(Date.now() + INVITATION_TTL_MS) })
        .returning(),
    );
    return c.json({ id: row.id, email: row.email, role: row.role, expiresAt: row.expiresAt.toISOString(), token, acceptPath: `/invite/${token}` }, 201);
  },
);
