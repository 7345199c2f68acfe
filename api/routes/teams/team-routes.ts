import { createRoute, z } from '@hono/zod-openapi';
import { asc, eq, inArray } from 'drizzle-orm';
import { withTenant, type Tx } from '../../../db/client.js';
import { teamMembers, teams, users } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { ROLES } from '../../auth/principal.js';
import { AppError, ErrorBody, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';

const TeamView = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    description: z.string().nullable(),
    members: z.array(z.object({ id: z.string().uuid(), name: z.string(), email: z.string(), role: z.enum(ROLES) })),
  })
  .openapi('Team');
type TeamView = z.infer<typeof TeamView>;

const TeamInput = z.object({ name: Text(1, 80), description: Text(0, 500).nullable().optional() });
const conflict = { 409: jsonResponse('Name taken', ErrorBody) };

/** Teams with their members, by name; RLS confines both reads to the caller's tenant. */
async function listTeams(tx: Tx, id?: string): Promise<TeamView[]> {
  const rows = await tx.select().from(teams).where(id ? eq(teams.id, id) : undefined).orderBy(asc(teams.name));
  if (rows.length === 0) return [];
  const members = await tx
    .select({ teamId: teamMembers.teamId, id: users.id, name: users.name, email: users.email, role: users.role })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(inArray(teamMembers.teamId, rows.map((t) => t.id)))
    .orderBy(asc(users.name));
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    members: members.filter((m) => m.teamId === t.id).map(({ teamId: _, ...m }) => m),
  }));
}

async function oneTeam(tx: Tx, id: string): Promise<TeamView> {
  const [team] = await listTeams(tx, id);
  if (!team) throw notFound('team');
  return team;
}

export const teamRoutes = newRouter();
teamRoutes.use('*', requireUser);

teamRoutes.openapi(
  createRoute({ method: 'get', path: '/', tags: ['teams'], summary: 'Teams and their members', security, responses: { 200: jsonResponse('Teams', z.object({ teams: z.array(TeamView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'users:read');
    return c.json({ teams: await withTenant(c.get('deps').db, p.tenantId, (tx) => listTeams(tx)) }, 200);
  },
);

teamRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['teams'],
    summary: 'Create a team (its name is unique in the workspace)',
    security,
    request: jsonBody(TeamInput),
    responses: { 201: jsonResponse('Created', z.object({ team: TeamView })), ...conflict, ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'teams:manage');
    const body = c.req.valid('json');
    const team = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [row] = await tx.insert(teams).values({ tenantId: p.tenantId, name: body.name, description: body.description || null }).returning();
      return oneTeam(tx, row.id);
    });
    return c.json({ team }, 201);
  },
);

teamRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['teams'],
    summary: "Rename a team or change its description",
    security,
    request: { params: IdParam, ...jsonBody(TeamInput.partial().refine((b) => b.name !== undefined || b.description !== undefined, 'give name or description')) },
    responses: { 200: jsonResponse('Team', z.object({ team: TeamView })), ...conflict, ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'teams:manage');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const team = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const set = { ...(body.name !== undefined && { name: body.name }), ...(body.description !== undefined && { description: body.description || null }) };
      const [row] = await tx.update(teams).set(set).where(eq(teams.id, id)).returning({ id: teams.id });
      if (!row) throw notFound('team');
      return oneTeam(tx, id);
    });
    return c.json({ team }, 200);
  },
);

teamRoutes.openapi(
  createRoute({ method: 'delete', path: '/{id}', tags: ['teams'], summary: "Delete a team; its conversations keep their assignee and lose the team", security, request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'teams:manage');
    const { id } = c.req.valid('param');
    const [row] = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.delete(teams).where(eq(teams.id, id)).returning({ id: teams.id }));
    if (!row) throw notFound('team');
    return c.body(null, 204);
  },
);

teamRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/{id}/members',
    tags: ['teams'],
    summary: "Replace a team's members",
    security,
    request: { params: IdParam, ...jsonBody(z.object({ userIds: z.array(z.string().uuid()).max(500) })) },
    responses: { 200: jsonResponse('Team', z.object({ team: TeamView })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'teams:manage');
    const { id } = c.req.valid('param');
    const userIds = [...new Set(c.req.valid('json').userIds)];
    const team = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [row] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, id)).for('update');
      if (!row) throw notFound('team');
      // Under RLS another workspace's users are simply not found, so they fail like unknown ids.
      // Share-locked: a member removed meanwhile would otherwise fail the insert's foreign key, as a 500.
      const known = userIds.length ? await tx.select({ id: users.id }).from(users).where(inArray(users.id, userIds)).for('share') : [];
      const missing = userIds.filter((u) => !known.some((k) => k.id === u));
      if (missing.length) throw new AppError('validation_failed', `unknown users: ${missing.join(', ')}`, [{ field: 'userIds', message: 'not users of this workspace' }]);
      await tx.delete(teamMembers).where(eq(teamMembers.teamId, id));
      if (userIds.length) await tx.insert(teamMembers).values(userIds.map((userId) => ({ tenantId: p.tenantId, teamId: id, userId })));
      return oneTeam(tx, id);
    });
    return c.json({ team }, 200);
  },
);
