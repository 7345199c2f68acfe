import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, ne } from 'drizzle-orm';
import { withTenant, type Tx } from '../../../db/client.js';
import { auditLog, conversations, invitations, users } from '../../../db/schema/index.js';
import { assign } from '../../../workflows/conversation.workflow.js';
import { assertCan, assertCanGrant } from '../../auth/permissions.js';
import { ROLES, type Principal } from '../../auth/principal.js';
import { AppError, ErrorBody, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { updateConversation } from '../../services/conversation-workflows.js';
import { UserView } from '../auth/schemas.js';
import { userView } from '../auth/session-routes.js';

const conflict = { 409: jsonResponse('Would leave the workspace without an owner', ErrorBody) };

/**
 * Locks the target for a change. When the change may take away an owner, every owner is locked
 * first, in id order, so concurrent demotions serialize (rather than deadlock) and the last-owner
 * check sees what the others committed.
 */
async function lockTarget(tx: Tx, p: Principal, id: string, opts: { owners: boolean }) {
  const owners = opts.owners ? await tx.select({ id: users.id }).from(users).where(eq(users.role, 'owner')).orderBy(asc(users.id)).for('update') : [];
  const [target] = await tx.select().from(users).where(eq(users.id, id)).for('update');
  if (!target) throw notFound('user');
  // Nobody manages someone above them: an admin cannot demote or remove an owner.
  if (target.id !== p.userId) assertCanGrant(p, target.role);
  return { target, lastOwner: target.role === 'owner' && owners.length <= 1 };
}

const lastOwner = (field: string) => new AppError('conflict', 'the workspace must keep at least one owner', [{ field, message: 'this is the last owner' }]);

/** Changing and removing members: mounted at `/v1`, beside the user and invitation routes. */
export const memberRoutes = newRouter();
memberRoutes.use('/users/:id', requireUser);

memberRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/users/{id}',
    tags: ['users'],
    summary: "Change a member's role (owner, admin; never above your own) or name (also your own)",
    security,
    request: {
      params: IdParam,
      ...jsonBody(z.object({ role: z.enum(ROLES).optional(), name: Text(1, 120).optional() }).refine((b) => b.role !== undefined || b.name !== undefined, 'give role or name')),
    },
    responses: { 200: jsonResponse('User', z.object({ user: UserView })), ...conflict, ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    if (id !== p.userId || body.role !== undefined) assertCan(p, 'users:manage');
    if (body.role) assertCanGrant(p, body.role);
    const user = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const demoting = body.role !== undefined && body.role !== 'owner';
      const { target, lastOwner: last } = await lockTarget(tx, p, id, { owners: demoting });
      if (demoting && last) throw lastOwner('role');
      const [row] = await tx.update(users).set(body).where(eq(users.id, id)).returning();
      await tx.insert(auditLog).values({ tenantId: p.tenantId, actorUserId: p.userId, action: 'user.updated', targetType: 'user', targetId: id, data: { ...body, previousRole: target.role } });
      return row;
    });
    // The new role applies from the member's next token refresh (access tokens are short-lived).
    return c.json({ user: userView(user) }, 200);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/users/{id}',
    tags: ['users'],
    summary: 'Remove a member from the workspace (not yourself, not the last owner); their conversations become unassigned',
    security,
    request: { params: IdParam },
    responses: { 204: { description: 'Removed' }, ...conflict, ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    const { db, temporal, taskQueue } = c.get('deps');
    assertCan(p, 'users:manage');
    const { id } = c.req.valid('param');
    if (id === p.userId) throw new AppError('bad_request', 'you cannot remove yourself', [{ field: 'id', message: 'is you' }]);
    const assigned = await withTenant(db, p.tenantId, async (tx) => {
      const { target, lastOwner: last } = await lockTarget(tx, p, id, { owners: true });
      if (last) throw lastOwner('id');
      const open = await tx.select({ id: conversations.id }).from(conversations).where(and(eq(conversations.assigneeId, id), ne(conversations.status, 'closed')));
      // Invitations they sent stay valid; the remover vouches for them now.
      await tx.update(invitations).set({ invitedBy: p.userId }).where(eq(invitations.invitedBy, id));
      await tx.delete(users).where(eq(users.id, id));
      await tx.insert(auditLog).values({ tenantId: p.tenantId, actorUserId: p.userId, action: 'user.removed', targetType: 'user', targetId: id, data: { email: target.email, role: target.role } });
      return open;
    });
    // The row's assignee is already cleared by its foreign key; running workflows hold it in memory
    // too, and would write the removed id back on their next change.
    for (const conv of assigned) {
      await updateConversation(temporal, taskQueue, { tenantId: p.tenantId, conversationId: conv.id }, assign, { userId: p.userId, assigneeId: null }).catch((err: unknown) => {
        if (!(err instanceof AppError)) console.error(`[users] could not unassign conversation ${conv.id} from removed user ${id}`, err);
      });
    }
    return c.body(null, 204);
  },
);
