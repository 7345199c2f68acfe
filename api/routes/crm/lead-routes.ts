import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, desc, eq, gte, sql, type SQL } from 'drizzle-orm';
import { withTenant, type Tx } from '../../../db/client.js';
import { roundRobinPick } from '../../../db/round-robin.js';
import { contacts, leadStageChanges, leads, pipelineStages, users } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { LeadView, leadColumns, loadLead, toLeadView } from './crm-views.js';

const Money = z.number().nonnegative().max(999_999_999_999).multipleOf(0.01, 'at most two decimals');
const LeadFields = z.object({
  title: Text(1, 200),
  ownerId: z.string().uuid().nullable().optional(),
  value: Money.nullable().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO code, like EUR').optional(),
  score: z.number().int().min(0).max(100).nullable().optional(),
  source: Text(1, 80).nullable().optional(),
  expectedCloseDate: z.string().date().nullable().optional(),
  tags: z.array(Text(1, 60)).max(30).optional(),
});
const StageChangeView = z.object({ id: z.string().uuid(), fromStageId: z.string().uuid().nullable(), toStageId: z.string().uuid(), actorUserId: z.string().uuid().nullable(), at: z.string() });

/** A user of this workspace, or a 400 naming the field (RLS hides other workspaces' users). */
async function assertUser(tx: Tx, userId: string | null | undefined, field: string) {
  if (!userId) return;
  const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!u) throw new AppError('validation_failed', `${field} is not a user of this workspace`, [{ field, message: 'unknown user' }]);
}

const columnsOf = (b: z.infer<ReturnType<typeof LeadFields.partial>>) => ({
  ...(b.title !== undefined && { title: b.title }),
  ...(b.ownerId !== undefined && { ownerId: b.ownerId }),
  ...(b.value !== undefined && { value: b.value === null ? null : b.value.toFixed(2) }),
  ...(b.currency !== undefined && { currency: b.currency }),
  ...(b.score !== undefined && { score: b.score }),
  ...(b.source !== undefined && { source: b.source }),
  ...(b.expectedCloseDate !== undefined && { expectedCloseDate: b.expectedCloseDate }),
  ...(b.tags !== undefined && { tags: [...new Set(b.tags)] }),
});

/** Places a lead at `position` in a stage's column, shifting the ones below it. */
async function placeInStage(tx: Tx, stageId: string, position: number | undefined) {
  const [{ end }] = await tx.select({ end: sql<number>`coalesce(max(${leads.position}) + 1, 0)::int` }).from(leads).where(eq(leads.stageId, stageId));
  const at = position === undefined ? end : Math.min(position, end);
  await tx.update(leads).set({ position: sql`${leads.position} + 1` }).where(and(eq(leads.stageId, stageId), gte(leads.position, at)));
  return at;
}

export const leadRoutes = newRouter();
leadRoutes.use('*', requireUser);

leadRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['crm'],
    summary: 'Leads, newest first, by pipeline, stage, owner, contact or tag',
    security,
    request: { query: z.object({ pipelineId: z.string().uuid().optional(), stageId: z.string().uuid().optional(), ownerId: z.string().uuid().optional(), contactId: z.string().uuid().optional(), tag: Text(1, 60).optional() }) },
    responses: { 200: jsonResponse('Leads', z.object({ leads: z.array(LeadView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:read');
    const q = c.req.valid('query');
    const filters: SQL[] = [];
    if (q.pipelineId) filters.push(eq(leads.pipelineId, q.pipelineId));
    if (q.stageId) filters.push(eq(leads.stageId, q.stageId));
    if (q.ownerId) filters.push(eq(leads.ownerId, q.ownerId));
    if (q.contactId) filters.push(eq(leads.contactId, q.contactId));
    if (q.tag) filters.push(sql`${q.tag} = any(${leads.tags})`);
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) =>
      tx.select(leadColumns).from(leads).innerJoin(contacts, eq(contacts.id, leads.contactId)).where(and(...filters)).orderBy(desc(leads.createdAt)).limit(200),
    );
    return c.json({ leads: rows.map(toLeadView) }, 200);
  },
);

leadRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['crm'],
    summary: 'Create a lead for a contact, in a stage of a pipeline (default: its first open stage)',
    security,
    request: jsonBody(LeadFields.extend({ pipelineId: z.string().uuid(), stageId: z.string().uuid().optional(), contactId: z.string().uuid() })),
    responses: { 201: jsonResponse('Created', z.object({ lead: LeadView })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const body = c.req.valid('json');
    const lead = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const stages = await tx.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, body.pipelineId)).orderBy(asc(pipelineStages.position));
      if (!stages.length) throw new AppError('validation_failed', 'no such pipeline', [{ field: 'pipelineId', message: 'not a pipeline of this workspace' }]);
      const stage = body.stageId ? stages.find((s) => s.id === body.stageId) : (stages.find((s) => s.kind === 'open') ?? stages[0]);
      if (!stage) throw new AppError('validation_failed', 'the stage is not in that pipeline', [{ field: 'stageId', message: 'not a stage of the pipeline' }]);
      const [contact] = await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, body.contactId));
      if (!contact) throw new AppError('validation_failed', 'no such contact', [{ field: 'contactId', message: 'not a contact of this workspace' }]);
      await assertUser(tx, body.ownerId, 'ownerId');
      const position = await placeInStage(tx, stage.id, undefined);
      const [row] = await tx
        .insert(leads)
        .values({ tenantId: p.tenantId, pipelineId: body.pipelineId, stageId: stage.id, contactId: body.contactId, title: body.title, position, ...columnsOf(body) })
        .returning({ id: leads.id });
      await tx.insert(leadStageChanges).values({ tenantId: p.tenantId, leadId: row.id, fromStageId: null, toStageId: stage.id, actorUserId: p.userId });
      return loadLead(tx, row.id);
    });
    return c.json({ lead }, 201);
  },
);

leadRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['crm'],
    summary: 'A lead with its stage history (who moved it where, and when)',
    security,
    request: { params: IdParam },
    responses: { 200: jsonResponse('Lead', z.object({ lead: LeadView, stageChanges: z.array(StageChangeView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:read');
    const { id } = c.req.valid('param');
    const out = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const lead = await loadLead(tx, id);
      const changes = await tx.select().from(leadStageChanges).where(eq(leadStageChanges.leadId, id)).orderBy(asc(leadStageChanges.createdAt));
      return { lead, stageChanges: changes.map((ch) => ({ id: ch.id, fromStageId: ch.fromStageId, toStageId: ch.toStageId, actorUserId: ch.actorUserId, at: ch.createdAt.toISOString() })) };
    });
    return c.json(out, 200);
  },
);

leadRoutes.openapi(
  createRoute({ method: 'patch', path: '/{id}', tags: ['crm'], summary: "Change a lead's details (not its stage: see move)", security, request: { params: IdParam, ...jsonBody(LeadFields.partial()) }, responses: { 200: jsonResponse('Lead', z.object({ lead: LeadView })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const lead = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      await assertUser(tx, body.ownerId, 'ownerId');
      const [row] = await tx.update(leads).set({ ...columnsOf(body), updatedAt: sql`now()` }).where(eq(leads.id, id)).returning({ id: leads.id });
      if (!row) throw notFound('lead');
      return loadLead(tx, id);
    });
    return c.json({ lead }, 200);
  },
);

leadRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/move',
    tags: ['crm'],
    summary: 'Move a lead to a stage (and a place in its column): recorded with who and when, and fires "lead stage changed"',
    security,
    request: { params: IdParam, ...jsonBody(z.object({ stageId: z.string().uuid(), position: z.number().int().min(0).optional() })) },
    responses: { 200: jsonResponse('Lead', z.object({ lead: LeadView })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const { id } = c.req.valid('param');
    const { stageId, position } = c.req.valid('json');
    const lead = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const current = await loadLead(tx, id, true);
      const [stage] = await tx.select().from(pipelineStages).where(eq(pipelineStages.id, stageId));
      if (!stage || stage.pipelineId !== current.pipelineId) throw new AppError('validation_failed', 'the stage is not in this lead’s pipeline', [{ field: 'stageId', message: 'not a stage of the lead’s pipeline' }]);
      // Out of its column first, so its own place does not count when the new one is made.
      await tx.update(leads).set({ position: -1 }).where(eq(leads.id, id));
      await tx.update(leads).set({ position: sql`${leads.position} - 1` }).where(and(eq(leads.stageId, current.stageId), gte(leads.position, current.position)));
      const at = await placeInStage(tx, stageId, position);
      await tx.update(leads).set({ stageId, position: at, updatedAt: sql`now()` }).where(eq(leads.id, id));
      if (stageId !== current.stageId) await tx.insert(leadStageChanges).values({ tenantId: p.tenantId, leadId: id, fromStageId: current.stageId, toStageId: stageId, actorUserId: p.userId });
      return loadLead(tx, id);
    });
    return c.json({ lead }, 200);
  },
);

leadRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/assign',
    tags: ['crm'],
    summary: 'Give a lead an owner: a user, or the next member of a team in turn (round-robin)',
    security,
    request: {
      params: IdParam,
      ...jsonBody(
        z
          .object({ ownerId: z.string().uuid().nullable().optional(), roundRobinTeamId: z.string().uuid().optional() })
          .refine((b) => (b.ownerId !== undefined) !== (b.roundRobinTeamId !== undefined), 'give ownerId or roundRobinTeamId'),
      ),
    },
    responses: { 200: jsonResponse('Lead', z.object({ lead: LeadView })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const lead = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      await loadLead(tx, id);
      let ownerId = body.ownerId ?? null;
      if (body.roundRobinTeamId) {
        ownerId = await roundRobinPick(tx, body.roundRobinTeamId);
        if (!ownerId) throw new AppError('validation_failed', 'that team does not exist or has no members', [{ field: 'roundRobinTeamId', message: 'no one to assign to' }]);
      } else {
        await assertUser(tx, ownerId, 'ownerId');
      }
      await tx.update(leads).set({ ownerId, updatedAt: sql`now()` }).where(eq(leads.id, id));
      return loadLead(tx, id);
    });
    return c.json({ lead }, 200);
  },
);

leadRoutes.openapi(
  createRoute({ method: 'delete', path: '/{id}', tags: ['crm'], summary: 'Delete a lead', security, request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const [row] = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.delete(leads).where(eq(leads.id, c.req.valid('param').id)).returning({ id: leads.id }));
    if (!row) throw notFound('lead');
    return c.body(null, 204);
  },
);
