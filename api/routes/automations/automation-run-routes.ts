import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { and, asc, desc, eq, isNull, isNotNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { withTenant } from '../../../db/client.js';
import { automationRunSteps, automationRuns, automationVersions, contacts, conversations } from '../../../db/schema/index.js';
import { AUTOMATION_RUN_STATUSES } from '../../../db/schema/automations.js';
import { startAutomationRun } from '../../../temporal/automation-starter.js';
import type { AutomationApprovalArgs } from '../../../temporal/contracts.js';
import { assertCan, atLeast } from '../../auth/permissions.js';
import type { Role } from '../../auth/principal.js';
import { AppError, ErrorBody, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { DefinitionInput, RunView, StepView, loadAutomation, publishable, toRunView, versionNumbers } from './automation-views.js';

const conflict = { 409: jsonResponse('Conflict', ErrorBody) };

/**
 * The page cursor keeps Postgres's microseconds: a JavaScript Date's milliseconds would skip the
 * runs created earlier in the same millisecond as a page's last one (concurrent webhook deliveries).
 */
const microsecondCursor = sql<string>`to_char(${automationRuns.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const RunsQuery = z.object({
  status: z.enum(AUTOMATION_RUN_STATUSES).optional(),
  test: z.enum(['true', 'false']).optional().describe('Only test runs of the draft, or only real ones'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.string().datetime({ offset: true }).optional().describe("The previous page's nextCursor: its last run's createdAt, to the microsecond"),
});

export const automationRunRoutes = newRouter();
// Mounted at /v1 beside other routers: the auth middleware covers these paths only.
automationRunRoutes.use('/automations/*', requireUser);
automationRunRoutes.use('/automation-runs/*', requireUser);

automationRunRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/automations/{id}/test',
    tags: ['automations'],
    summary: 'Run the draft once against a sample trigger payload; messages go to the sandbox and actions only say what they would do',
    security,
    request: {
      params: IdParam,
      ...jsonBody(z.object({ trigger: z.record(z.string(), z.unknown()).optional(), conversationId: z.string().uuid().optional(), contactId: z.string().uuid().optional() })),
    },
    responses: { 202: jsonResponse('Started', z.object({ run: z.object({ id: z.string().uuid(), workflowId: z.string() }) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:manage');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const deps = c.get('deps');
    const prepared = await withTenant(deps.db, p.tenantId, async (tx) => {
      const a = await loadAutomation(tx, id);
      const { definition, trigger } = publishable(a.draft);
      let contactId = body.contactId ?? null;
      if (body.conversationId) {
        const [conv] = await tx.select({ contactId: conversations.contactId }).from(conversations).where(eq(conversations.id, body.conversationId));
        if (!conv) throw new AppError('not_found', 'conversation not found', [{ field: 'conversationId', message: 'not a conversation of this workspace' }]);
        contactId ??= conv.contactId;
      }
      if (contactId && !(await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, contactId))).length) {
        throw new AppError('not_found', 'contact not found', [{ field: 'contactId', message: 'not a contact of this workspace' }]);
      }
      return { definition, contactId, triggerType: trigger.type };
    });
    const run = await startAutomationRun(deps.db, deps.temporal, deps.taskQueue, {
      tenantId: p.tenantId,
      automationId: id,
      versionId: null,
      testDefinition: prepared.definition,
      eventKey: `test:${randomUUID()}`,
      triggerType: prepared.triggerType,
      trigger: body.trigger ?? {},
      conversationId: body.conversationId ?? null,
      contactId: prepared.contactId,
    });
    return c.json({ run: { id: run.runId, workflowId: run.workflowId } }, 202);
  },
);

automationRunRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/automations/{id}/runs',
    tags: ['automations'],
    summary: "An automation's runs, newest first, including test runs",
    security,
    request: { params: IdParam, query: RunsQuery },
    responses: { 200: jsonResponse('Runs', z.object({ runs: z.array(RunView), nextCursor: z.string().nullable() })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:read');
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const page = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      await loadAutomation(tx, id);
      const rows = await tx
        .select({ run: automationRuns, cursor: microsecondCursor })
        .from(automationRuns)
        .where(
          and(
            eq(automationRuns.automationId, id),
            q.status ? eq(automationRuns.status, q.status) : undefined,
            q.test === 'true' ? isNull(automationRuns.versionId) : q.test === 'false' ? isNotNull(automationRuns.versionId) : undefined,
            q.before ? sql`${automationRuns.createdAt} < ${q.before}::timestamptz` : undefined,
          ),
        )
        .orderBy(desc(automationRuns.createdAt))
        .limit(q.limit + 1);
      const versions = await versionNumbers(tx, rows.map((r) => r.run.versionId));
      const shown = rows.slice(0, q.limit);
      return {
        runs: shown.map(({ run: r }) => toRunView(r, r.versionId ? (versions.get(r.versionId) ?? null) : null)),
        nextCursor: rows.length > q.limit ? shown[shown.length - 1].cursor : null,
      };
    });
    return c.json(page, 200);
  },
);

automationRunRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/automation-runs/{id}',
    tags: ['automations'],
    summary: 'One run with its trigger, the graph it walked, and each step',
    security,
    request: { params: IdParam },
    responses: { 200: jsonResponse('Run', z.object({ run: RunView.extend({ trigger: z.record(z.string(), z.unknown()), definition: DefinitionInput, steps: z.array(StepView) }) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:read');
    const { id } = c.req.valid('param');
    const run = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [row] = await tx
        .select({ run: automationRuns, version: automationVersions.version, definition: automationVersions.definition })
        .from(automationRuns)
        .leftJoin(automationVersions, eq(automationVersions.id, automationRuns.versionId))
        .where(eq(automationRuns.id, id));
      if (!row) throw notFound('automation run');
      const steps = await tx.select().from(automationRunSteps).where(eq(automationRunSteps.runId, id)).orderBy(asc(automationRunSteps.seq));
      return {
        ...toRunView(row.run, row.version),
        trigger: row.run.trigger,
        definition: (row.definition ?? row.run.testDefinition ?? { nodes: [], edges: [] }) as z.infer<typeof DefinitionInput>,
        steps: steps.map((s) => ({
          seq: s.seq, nodeId: s.nodeId, nodeType: s.nodeType, status: s.status, branch: s.branch, input: s.input, output: s.output, error: s.error,
          startedAt: s.startedAt.toISOString(), finishedAt: s.finishedAt.toISOString(),
        })),
      };
    });
    return c.json({ run }, 200);
  },
);

automationRunRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/automation-runs/{id}/approval',
    tags: ['automations'],
    summary: "Approve or reject the step a run is waiting at (needs the step's approver role)",
    security,
    request: { params: IdParam, ...jsonBody(z.object({ approve: z.boolean() })) },
    responses: { 200: jsonResponse('Decided', z.object({ run: z.object({ id: z.string().uuid(), nodeId: z.string(), approved: z.boolean() }) })), ...conflict, ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:read');
    const { id } = c.req.valid('param');
    const { approve } = c.req.valid('json');
    const deps = c.get('deps');
    const run = await withTenant(deps.db, p.tenantId, async (tx) => {
      const [row] = await tx
        .select({ run: automationRuns, definition: automationVersions.definition })
        .from(automationRuns)
        .leftJoin(automationVersions, eq(automationVersions.id, automationRuns.versionId))
        .where(eq(automationRuns.id, id));
      if (!row) throw notFound('automation run');
      return { ...row.run, definition: row.definition ?? row.run.testDefinition };
    });
    if (run.waitingFor !== 'approval' || !run.waitingNodeId) throw new AppError('conflict', 'this run is not waiting for an approval');
    const step = (run.definition?.nodes as Array<{ id: string; config?: { approverRole?: Role } }> | undefined)?.find((n) => n.id === run.waitingNodeId);
    const needed = step?.config?.approverRole ?? 'manager';
    if (!atLeast(p.role, needed)) throw new AppError('forbidden', `this approval needs the role ${needed} or above`);
    try {
      await deps.temporal.workflow.getHandle(run.workflowId).executeUpdate('approve', { args: [{ nodeId: run.waitingNodeId, approve, userId: p.userId } satisfies AutomationApprovalArgs] });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) throw new AppError('conflict', (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
      throw err;
    }
    return c.json({ run: { id, nodeId: run.waitingNodeId, approved: approve } }, 200);
  },
);

automationRunRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/automation-runs/{id}/cancel',
    tags: ['automations'],
    summary: 'Stop a run that is still going; its record says it was cancelled',
    security,
    request: { params: IdParam },
    responses: { 202: jsonResponse('Cancelling', z.object({ run: z.object({ id: z.string().uuid() }) })), ...conflict, ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'automations:manage');
    const { id } = c.req.valid('param');
    const deps = c.get('deps');
    const [run] = await withTenant(deps.db, p.tenantId, (tx) => tx.select().from(automationRuns).where(eq(automationRuns.id, id)));
    if (!run) throw notFound('automation run');
    if (['succeeded', 'failed', 'stopped'].includes(run.status)) throw new AppError('conflict', `the run has already ${run.status === 'stopped' ? 'stopped' : 'finished'}`);
    try {
      await deps.temporal.workflow.getHandle(run.workflowId).cancel();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new AppError('conflict', 'the run is no longer running');
      throw err;
    }
    return c.json({ run: { id } }, 202);
  },
);
