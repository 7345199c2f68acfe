import { z } from '@hono/zod-openapi';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { automationRuns, automations, automationVersions } from '../../../db/schema/index.js';
import { validateDefinition, type DefinitionError } from '../../../workflows/automation/validate-definition.js';
import { AppError, notFound } from '../../errors.js';

export const DefinitionInput = z
  .object({
    nodes: z.array(z.record(z.string(), z.unknown())).max(500, 'at most 500 nodes'),
    edges: z.array(z.record(z.string(), z.unknown())).max(2000, 'at most 2,000 edges'),
  })
  .refine((d) => JSON.stringify(d).length <= 256 * 1024, 'a definition is at most 256 KB')
  .openapi('AutomationDefinition');

const ValidationView = z.object({
  ok: z.boolean(),
  errors: z.array(z.object({ nodeId: z.string().optional(), edgeId: z.string().optional(), field: z.string().optional(), message: z.string() })),
});

export const AutomationSummaryView = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    triggerType: z.string().nullable(),
    activeVersion: z.object({ id: z.string().uuid(), version: z.number().int() }).nullable(),
    draftRevision: z.number().int(),
    updatedAt: z.string(),
    lastRun: z.object({ id: z.string().uuid(), status: z.string(), createdAt: z.string() }).nullable(),
  })
  .openapi('AutomationSummary');

export const AutomationView = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    draft: DefinitionInput,
    draftRevision: z.number().int(),
    activeVersionId: z.string().uuid().nullable(),
    triggerType: z.string().nullable(),
    webhookUrl: z.string().describe("POST a JSON object here to run a webhook-triggered automation; the URL's last part is its secret"),
    updatedAt: z.string(),
  })
  .openapi('Automation');

export const AutomationWithValidation = z.object({ automation: AutomationView, validation: ValidationView });

export const VersionView = z
  .object({ id: z.string().uuid(), version: z.number().int(), note: z.string(), publishedAt: z.string(), publishedBy: z.string().uuid().nullable(), active: z.boolean() })
  .openapi('AutomationVersion');

export const RunView = z
  .object({
    id: z.string().uuid(),
    automationId: z.string().uuid(),
    status: z.string(),
    triggerType: z.string(),
    eventKey: z.string(),
    test: z.boolean().describe('A test run of the draft'),
    versionId: z.string().uuid().nullable(),
    version: z.number().int().nullable(),
    waitingFor: z.string().nullable(),
    waitingNodeId: z.string().nullable(),
    error: z.string().nullable(),
    stepCount: z.number().int(),
    conversationId: z.string().uuid().nullable(),
    contactId: z.string().uuid().nullable(),
    workflowId: z.string(),
    temporalRunId: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('AutomationRun');

export const StepView = z.object({
  seq: z.number().int(),
  nodeId: z.string(),
  nodeType: z.string(),
  status: z.string(),
  branch: z.string().nullable(),
  input: z.unknown(),
  output: z.unknown(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
});

type AutomationRow = typeof automations.$inferSelect;
type RunRow = typeof automationRuns.$inferSelect;

export const webhookUrlOf = (publicUrl: string, token: string) => `${publicUrl.replace(/\/$/, '')}/webhooks/automations/${token}`;

export const toAutomationView = (a: AutomationRow, publicUrl: string) => ({
  id: a.id,
  name: a.name,
  description: a.description,
  enabled: a.enabled,
  draft: a.draft as z.infer<typeof DefinitionInput>,
  draftRevision: a.draftRevision,
  activeVersionId: a.activeVersionId,
  triggerType: a.triggerType,
  webhookUrl: webhookUrlOf(publicUrl, a.webhookToken),
  updatedAt: a.updatedAt.toISOString(),
});

export function validationOf(draft: unknown) {
  const checked = validateDefinition(draft);
  return checked.ok ? { ok: true, errors: [] } : { ok: false, errors: checked.errors };
}

export const toRunView = (r: RunRow, version: number | null) => ({
  id: r.id,
  automationId: r.automationId,
  status: r.status,
  triggerType: r.triggerType,
  eventKey: r.eventKey,
  test: r.versionId === null,
  versionId: r.versionId,
  version,
  waitingFor: r.waitingFor,
  waitingNodeId: r.waitingNodeId,
  error: r.error,
  stepCount: r.steps,
  conversationId: r.conversationId,
  contactId: r.contactId,
  workflowId: r.workflowId,
  temporalRunId: r.temporalRunId,
  createdAt: r.createdAt.toISOString(),
  startedAt: r.startedAt?.toISOString() ?? null,
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

export async function loadAutomation(tx: Tx, id: string, forUpdate = false): Promise<AutomationRow> {
  const q = tx.select().from(automations).where(eq(automations.id, id));
  const [row] = await (forUpdate ? q.for('update') : q);
  if (!row) throw notFound('automation');
  return row;
}

/** A draft that does not pass publish-time validation, as one 400 naming each node and field. */
export function invalidDraft(errors: DefinitionError[]): AppError {
  const fields = errors.map((e) => ({
    field: e.nodeId ? `nodes.${e.nodeId}${e.field ? `.${e.field}` : ''}` : e.edgeId ? `edges.${e.edgeId}${e.field ? `.${e.field}` : ''}` : (e.field ?? 'definition'),
    message: e.message,
  }));
  const first = errors[0];
  const where = first.nodeId ? `node ${first.nodeId}` : first.edgeId ? `edge ${first.edgeId}` : 'the graph';
  return new AppError('validation_failed', `the draft cannot be published: ${where}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, fields);
}

/** A graph that passes publish-time validation, with its trigger; otherwise the 400 naming each problem. */
export function publishable(definition: unknown) {
  const checked = validateDefinition(definition);
  if (!checked.ok) throw invalidDraft(checked.errors);
  const trigger = checked.definition.nodes.find((n) => n.type.startsWith('trigger.'))!;
  return { definition: checked.definition, trigger: trigger as { id: string; type: string; config: Record<string, unknown> } };
}

/** The latest run of each automation, for the list. */
export async function lastRuns(tx: Tx, ids: string[]) {
  if (ids.length === 0) return new Map<string, { id: string; status: string; createdAt: string }>();
  const rows = await tx
    .selectDistinctOn([automationRuns.automationId], { automationId: automationRuns.automationId, id: automationRuns.id, status: automationRuns.status, createdAt: automationRuns.createdAt })
    .from(automationRuns)
    .where(inArray(automationRuns.automationId, ids))
    .orderBy(automationRuns.automationId, desc(automationRuns.createdAt));
  return new Map(rows.map((r) => [r.automationId, { id: r.id, status: r.status, createdAt: r.createdAt.toISOString() }]));
}

export async function versionNumbers(tx: Tx, ids: Array<string | null>) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map<string, number>();
  const rows = await tx.select({ id: automationVersions.id, version: automationVersions.version }).from(automationVersions).where(inArray(automationVersions.id, wanted));
  return new Map(rows.map((r) => [r.id, r.version]));
}

export const nextVersionNumber = (tx: Tx, automationId: string) =>
  tx
    .select({ next: sql<number>`coalesce(max(${automationVersions.version}), 0) + 1` })
    .from(automationVersions)
    .where(and(eq(automationVersions.automationId, automationId)))
    .then((r) => Number(r[0].next));
