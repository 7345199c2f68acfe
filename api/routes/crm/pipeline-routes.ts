import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { contacts, leads, pipelineStages, pipelines } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError, ErrorBody, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { LeadView, PipelineView, StageView, leadColumns, loadPipeline, stagesOf, toLeadView } from './crm-views.js';

const StageInput = z.object({ id: z.string().uuid().optional().describe('An existing stage to keep; absent creates one'), name: Text(1, 80), kind: z.enum(['open', 'won', 'lost']).default('open') });
const Stages = z
  .array(StageInput)
  .min(1)
  .max(30)
  .refine((s) => new Set(s.map((x) => x.name.toLowerCase())).size === s.length, 'stage names must be unique')
  .refine((s) => s.some((x) => x.kind === 'open'), 'at least one stage must be open');
const conflict = { 409: jsonResponse('Conflict', ErrorBody) };

export const pipelineRoutes = newRouter();
pipelineRoutes.use('*', requireUser);

pipelineRoutes.openapi(
  createRoute({ method: 'get', path: '/', tags: ['crm'], summary: 'Pipelines with their stages, in order', security, responses: { 200: jsonResponse('Pipelines', z.object({ pipelines: z.array(PipelineView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:read');
    const list = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const rows = await tx.select().from(pipelines).orderBy(asc(pipelines.position), asc(pipelines.createdAt));
      const stages = await stagesOf(tx, rows.map((r) => r.id));
      return rows.map((r) => ({ id: r.id, name: r.name, position: r.position, stages: stages.filter((s) => s.pipelineId === r.id).map((s) => ({ id: s.id, name: s.name, kind: s.kind, position: s.position })) }));
    });
    return c.json({ pipelines: list }, 200);
  },
);

pipelineRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['crm'],
    summary: 'Create a pipeline with its ordered stages',
    security,
    request: jsonBody(z.object({ name: Text(1, 80), stages: Stages })),
    responses: { 201: jsonResponse('Created', z.object({ pipeline: PipelineView })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:manage');
    const body = c.req.valid('json');
    const pipeline = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [{ next }] = await tx.select({ next: sql<number>`coalesce(max(${pipelines.position}) + 1, 0)::int` }).from(pipelines);
      const [row] = await tx.insert(pipelines).values({ tenantId: p.tenantId, name: body.name, position: next }).returning();
      await tx.insert(pipelineStages).values(body.stages.map((s, i) => ({ tenantId: p.tenantId, pipelineId: row.id, name: s.name, kind: s.kind, position: i })));
      return loadPipeline(tx, row.id);
    });
    return c.json({ pipeline }, 201);
  },
);

pipelineRoutes.openapi(
  createRoute({ method: 'get', path: '/{id}', tags: ['crm'], summary: 'A pipeline with its stages', security, request: { params: IdParam }, responses: { 200: jsonResponse('Pipeline', z.object({ pipeline: PipelineView })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:read');
    return c.json({ pipeline: await withTenant(c.get('deps').db, p.tenantId, (tx) => loadPipeline(tx, c.req.valid('param').id)) }, 200);
  },
);

pipelineRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['crm'],
    summary: 'Rename a pipeline, or give its full list of stages in order (a stage with leads cannot be dropped)',
    security,
    request: { params: IdParam, ...jsonBody(z.object({ name: Text(1, 80).optional(), stages: Stages.optional() })) },
    responses: { 200: jsonResponse('Pipeline', z.object({ pipeline: PipelineView })), ...conflict, ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:manage');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const pipeline = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [row] = await tx.select().from(pipelines).where(eq(pipelines.id, id)).for('update');
      if (!row) throw notFound('pipeline');
      if (body.name) await tx.update(pipelines).set({ name: body.name }).where(eq(pipelines.id, id));
      if (body.stages) {
        const current = await tx.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, id));
        const kept = body.stages.flatMap((s) => (s.id ? [s.id] : []));
        const unknown = kept.filter((k) => !current.some((s) => s.id === k));
        if (unknown.length) throw new AppError('validation_failed', `not stages of this pipeline: ${unknown.join(', ')}`, [{ field: 'stages', message: 'unknown stage id' }]);
        const dropped = current.filter((s) => !kept.includes(s.id));
        if (dropped.length) {
          const [busy] = await tx.select({ stageId: leads.stageId }).from(leads).where(inArray(leads.stageId, dropped.map((s) => s.id))).limit(1);
          if (busy) throw new AppError('conflict', `the stage "${dropped.find((s) => s.id === busy.stageId)!.name}" still has leads: move them first`, [{ field: 'stages', message: 'stage has leads' }]);
          await tx.delete(pipelineStages).where(and(eq(pipelineStages.pipelineId, id), notInArray(pipelineStages.id, kept.length ? kept : ['00000000-0000-0000-0000-000000000000'])));
        }
        // Names move between stages in one reorder: park them first, or the unique name index would trip.
        await tx.update(pipelineStages).set({ name: sql`${pipelineStages.id}::text` }).where(eq(pipelineStages.pipelineId, id));
        for (const [i, s] of body.stages.entries()) {
          if (s.id) await tx.update(pipelineStages).set({ name: s.name, kind: s.kind, position: i }).where(eq(pipelineStages.id, s.id));
          else await tx.insert(pipelineStages).values({ tenantId: p.tenantId, pipelineId: id, name: s.name, kind: s.kind, position: i });
        }
      }
      return loadPipeline(tx, id);
    });
    return c.json({ pipeline }, 200);
  },
);

pipelineRoutes.openapi(
  createRoute({ method: 'delete', path: '/{id}', tags: ['crm'], summary: 'Delete a pipeline and its leads', security, request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:manage');
    const [row] = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.delete(pipelines).where(eq(pipelines.id, c.req.valid('param').id)).returning({ id: pipelines.id }));
    if (!row) throw notFound('pipeline');
    return c.body(null, 204);
  },
);

const BoardStage = StageView.extend({ count: z.number().int(), total: z.string().describe('Sum of the stage’s lead values'), leads: z.array(LeadView) });

pipelineRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/board',
    tags: ['crm'],
    summary: 'The kanban board: each stage with its leads in board order and its total value',
    security,
    request: { params: IdParam, query: z.object({ ownerId: z.string().uuid().optional(), tag: Text(1, 60).optional() }) },
    responses: { 200: jsonResponse('Board', z.object({ pipeline: PipelineView, stages: z.array(BoardStage) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:read');
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const board = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const pipeline = await loadPipeline(tx, id);
      const filters: SQL[] = [eq(leads.pipelineId, id)];
      if (q.ownerId) filters.push(eq(leads.ownerId, q.ownerId));
      if (q.tag) filters.push(sql`${q.tag} = any(${leads.tags})`);
      const rows = await tx.select(leadColumns).from(leads).innerJoin(contacts, eq(contacts.id, leads.contactId)).where(and(...filters)).orderBy(asc(leads.position), asc(leads.createdAt)).limit(5000);
      const stages = pipeline.stages.map((s) => {
        const mine = rows.filter((r) => r.lead.stageId === s.id).map(toLeadView);
        const cents = mine.reduce((sum, l) => sum + BigInt(Math.round(Number(l.value ?? 0) * 100)), 0n);
        return { ...s, count: mine.length, total: `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`, leads: mine };
      });
      return { pipeline, stages };
    });
    return c.json(board, 200);
  },
);
