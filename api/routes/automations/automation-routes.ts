import { createRoute, z } from '@hono/zod-openapi';
import { desc, eq } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { withTenant, type Tx } from '../../../db/client.js';
import { automations, automationVersions, tenants } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError, ErrorBody, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import type { ApiDeps } from '../../context.js';
import { removeSchedule, syncSchedule, automationScheduleId } from '../../services/automation-schedules.js';
import {
  AutomationSummaryView,
  AutomationWithValidation,
  DefinitionInput,
  VersionView,
  lastRuns,
  loadAutomation,
  nextVersionNumber,
  publishable,
  toAutomationView,
  validationOf,
} from './automation-views.js';

const conflict = { 409: jsonResponse('Conflict', ErrorBody) };
const VersionParams = z.object({
  id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }),
  versionId: z.string().uuid().openapi({ param: { name: 'versionId', in: 'path' } }),
});

type AutomationRow = typeof automations.$inferSelect;

const withValidation = (a: AutomationRow, deps: ApiDeps) => ({ automation: toAutomationView(a, deps.config.PUBLIC_URL), validation: validationOf(a.draft) });

/**
 * Makes `versionId` the one its triggers run, in the caller's transaction, and syncs the schedule.
 * The schedule is changed last, so a refused cron rolls the whole change back.
 */
async function activate(tx: Tx, deps: ApiDeps, a: AutomationRow, version: { id: string; definition: unknown }) {
  const { trigger } = publishable(version.definition);
  const [{ timezone }] = await tx.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, a.tenantId));
  const scheduleId = await syncSchedule(deps.temporal, deps.taskQueue, { tenantId: a.tenantId, automationId: a.id, enabled: a.enabled, timezone, trigger });
  const [row] = await tx
    .update(automations)
    .set({ activeVersionId: version.id, triggerType: trigger.type, triggerConfig: trigger.config, scheduleId, updatedAt: new Date() })
    .where(eq(automations.id, a.id))
    .returning();
  return row;
}

export const automationRoutes = newRouter();
automationRoutes.use('*', requireUser);

automationRoutes.openapi(
  createRoute({ method: 'get', path: '/', tags: ['automations'], summary: 'Automations, newest first, with their active version and latest run', security, responses: { 200: jsonResponse('Automations', z.object({ automations: z.array(AutomationSummaryView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:read');
    const list = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const rows = await tx
        .select({ a: automations, version: automationVersions.version })
        .from(automations)
        .leftJoin(automationVersions, eq(automationVersions.id, automations.activeVersionId))
        .orderBy(desc(automations.createdAt))
        .limit(500);
      const last = await lastRuns(tx, rows.map((r) => r.a.id));
      return rows.map(({ a, version }) => ({
        id: a.id,
        name: a.name,
        description: a.description,
        enabled: a.enabled,
        triggerType: a.triggerType,
        activeVersion: a.activeVersionId && version !== null ? { id: a.activeVersionId, version } : null,
        draftRevision: a.draftRevision,
        updatedAt: a.updatedAt.toISOString(),
        lastRun: last.get(a.id) ?? null,
      }));
    });
    return c.json({ automations: list }, 200);
  },
);

automationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['automations'],
    summary: 'Create an automation with an empty (or given) draft',
    security,
    request: jsonBody(z.object({ name: Text(1, 120), description: Text(0, 1000).optional(), draft: DefinitionInput.optional() })),
    responses: { 201: jsonResponse('Created', AutomationWithValidation), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:manage');
    const body = c.req.valid('json');
    const deps = c.get('deps');
    const [row] = await withTenant(deps.db, p.tenantId, (tx) =>
      tx
        .insert(automations)
        .values({ tenantId: p.tenantId, name: body.name, description: body.description ?? '', draft: body.draft ?? { nodes: [], edges: [] }, webhookToken: randomBytes(24).toString('hex'), createdBy: p.userId })
        .returning(),
    );
    return c.json(withValidation(row, deps), 201);
  },
);

automationRoutes.openapi(
  createRoute({ method: 'get', path: '/{id}', tags: ['automations'], summary: 'An automation with its draft and what publishing it would report', security, request: { params: IdParam }, responses: { 200: jsonResponse('Automation', AutomationWithValidation), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:read');
    const deps = c.get('deps');
    const row = await withTenant(deps.db, p.tenantId, (tx) => loadAutomation(tx, c.req.valid('param').id));
    return c.json(withValidation(row, deps), 200);
  },
);

automationRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['automations'],
    summary: 'Rename, pause or resume, or save the draft (autosave: give the draftRevision you loaded)',
    security,
    request: {
      params: IdParam,
      ...jsonBody(
        z
          .object({ name: Text(1, 120).optional(), description: Text(0, 1000).optional(), enabled: z.boolean().optional(), draft: DefinitionInput.optional(), draftRevision: z.number().int().nonnegative().optional() })
          .refine((b) => b.draft === undefined || b.draftRevision !== undefined, { message: 'draftRevision is required with draft', path: ['draftRevision'] }),
      ),
    },
    responses: { 200: jsonResponse('Automation', AutomationWithValidation), ...conflict, ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:manage');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const deps = c.get('deps');
    const row = await withTenant(deps.db, p.tenantId, async (tx) => {
      const a = await loadAutomation(tx, id, true);
      if (body.draft !== undefined && body.draftRevision !== a.draftRevision) {
        throw new AppError('conflict', `the draft changed elsewhere (revision ${a.draftRevision}, you had ${body.draftRevision}): reload it`, [{ field: 'draftRevision', message: 'stale' }]);
      }
      const [updated] = await tx
        .update(automations)
        .set({
          ...(body.name !== undefined && { name: body.name }),
          ...(body.description !== undefined && { description: body.description }),
          ...(body.enabled !== undefined && { enabled: body.enabled }),
          ...(body.draft !== undefined && { draft: body.draft, draftRevision: a.draftRevision + 1 }),
          updatedAt: new Date(),
        })
        .where(eq(automations.id, id))
        .returning();
      if (body.enabled !== undefined && body.enabled !== a.enabled && a.scheduleId) {
        const handle = deps.temporal.schedule.getHandle(a.scheduleId);
        await (body.enabled ? handle.unpause('resumed in Switchboard') : handle.pause('paused in Switchboard'));
      }
      return updated;
    });
    return c.json(withValidation(row, deps), 200);
  },
);

automationRoutes.openapi(
  createRoute({ method: 'delete', path: '/{id}', tags: ['automations'], summary: 'Delete an automation, its versions and its run history', security, request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:manage');
    const { id } = c.req.valid('param');
    const deps = c.get('deps');
    const [row] = await withTenant(deps.db, p.tenantId, (tx) => tx.delete(automations).where(eq(automations.id, id)).returning({ id: automations.id }));
    if (!row) throw notFound('automation');
    await removeSchedule(deps.temporal, automationScheduleId(p.tenantId, id));
    return c.body(null, 204);
  },
);

automationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/publish',
    tags: ['automations'],
    summary: 'Publish the draft as the next immutable version and make it the active one; runs in flight keep theirs',
    security,
    request: { params: IdParam, ...jsonBody(z.object({ note: Text(0, 500).optional() })) },
    responses: { 201: jsonResponse('Published', z.object({ version: VersionView })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:manage');
    const { id } = c.req.valid('param');
    const { note } = c.req.valid('json');
    const deps = c.get('deps');
    const version = await withTenant(deps.db, p.tenantId, async (tx) => {
      const a = await loadAutomation(tx, id, true);
      const { definition, trigger } = publishable(a.draft);
      const [v] = await tx
        .insert(automationVersions)
        .values({ tenantId: p.tenantId, automationId: id, version: await nextVersionNumber(tx, id), definition, triggerType: trigger.type, note: note ?? '', publishedBy: p.userId })
        .returning();
      await activate(tx, deps, a, v);
      return v;
    });
    return c.json({ version: { id: version.id, version: version.version, note: version.note, publishedAt: version.publishedAt.toISOString(), publishedBy: version.publishedBy, active: true } }, 201);
  },
);

automationRoutes.openapi(
  createRoute({ method: 'get', path: '/{id}/versions', tags: ['automations'], summary: 'Published versions, newest first', security, request: { params: IdParam }, responses: { 200: jsonResponse('Versions', z.object({ versions: z.array(VersionView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:read');
    const { id } = c.req.valid('param');
    const versions = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const a = await loadAutomation(tx, id);
      const rows = await tx.select().from(automationVersions).where(eq(automationVersions.automationId, id)).orderBy(desc(automationVersions.version));
      return rows.map((v) => ({ id: v.id, version: v.version, note: v.note, publishedAt: v.publishedAt.toISOString(), publishedBy: v.publishedBy, active: v.id === a.activeVersionId }));
    });
    return c.json({ versions }, 200);
  },
);

automationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/versions/{versionId}',
    tags: ['automations'],
    summary: 'One published version with its graph',
    security,
    request: { params: VersionParams },
    responses: { 200: jsonResponse('Version', z.object({ version: VersionView.extend({ definition: DefinitionInput }) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:read');
    const { id, versionId } = c.req.valid('param');
    const version = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const a = await loadAutomation(tx, id);
      const [v] = await tx.select().from(automationVersions).where(eq(automationVersions.id, versionId));
      if (!v || v.automationId !== id) throw notFound('version');
      return { id: v.id, version: v.version, note: v.note, publishedAt: v.publishedAt.toISOString(), publishedBy: v.publishedBy, active: v.id === a.activeVersionId, definition: v.definition as z.infer<typeof DefinitionInput> };
    });
    return c.json({ version }, 200);
  },
);

automationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/rollback',
    tags: ['automations'],
    summary: 'Make an earlier version active again, and restore it into the draft',
    security,
    request: { params: IdParam, ...jsonBody(z.object({ versionId: z.string().uuid() })) },
    responses: { 200: jsonResponse('Automation', AutomationWithValidation), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:manage');
    const { id } = c.req.valid('param');
    const { versionId } = c.req.valid('json');
    const deps = c.get('deps');
    const row = await withTenant(deps.db, p.tenantId, async (tx) => {
      const a = await loadAutomation(tx, id, true);
      const [v] = await tx.select().from(automationVersions).where(eq(automationVersions.id, versionId));
      if (!v || v.automationId !== id) throw new AppError('not_found', 'version not found', [{ field: 'versionId', message: 'not a version of this automation' }]);
      await activate(tx, deps, a, v);
      const [restored] = await tx
        .update(automations)
        .set({ draft: v.definition, draftRevision: a.draftRevision + 1, updatedAt: new Date() })
        .where(eq(automations.id, id))
        .returning();
      return restored;
    });
    return c.json(withValidation(row, deps), 200);
  },
);
