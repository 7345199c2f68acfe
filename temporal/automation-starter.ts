import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { and, eq, isNotNull } from 'drizzle-orm';
import { withTenant, type Database, type Tx } from '../db/client.js';
import { automationRuns, automations, type DefinitionJson } from '../db/schema/index.js';
import { triggerMatches, type TriggerEvent } from '../workflows/automation/trigger-match.js';
import { automationWorkflowId, type AutomationRunInput } from './contracts.js';

export interface RunRequest {
  tenantId: string;
  automationId: string;
  /** Null for a test run of the draft, which then brings its graph. */
  versionId: string | null;
  testDefinition?: DefinitionJson;
  eventKey: string;
  triggerType: string;
  trigger: Record<string, unknown>;
  conversationId?: string | null;
  contactId?: string | null;
}

export interface StartedRun {
  runId: string;
  workflowId: string;
  /** False: this event had started this automation before; nothing new was started. */
  created: boolean;
}

/** The automations whose active version listens for `triggerType`, with their trigger's config. */
export function listeningAutomations(tx: Tx, triggerType: string) {
  return tx
    .select({ id: automations.id, versionId: automations.activeVersionId, config: automations.triggerConfig })
    .from(automations)
    .where(and(eq(automations.triggerType, triggerType), isNotNull(automations.activeVersionId), eq(automations.enabled, true)));
}

/** The run rows for an event: one per automation whose trigger accepts it. Idempotent. */
export async function createMatchingRuns(
  tx: Tx,
  tenantId: string,
  event: TriggerEvent,
  base: Omit<RunRequest, 'tenantId' | 'automationId' | 'versionId' | 'triggerType'>,
): Promise<Array<{ runId: string; automationId: string; workflowId: string; created: boolean }>> {
  const listening = await listeningAutomations(tx, event.type);
  const runs = [];
  for (const a of listening) {
    if (!a.versionId || !triggerMatches(a.config ?? {}, event)) continue;
    runs.push({ ...(await insertRun(tx, { ...base, tenantId, automationId: a.id, versionId: a.versionId, triggerType: event.type })), automationId: a.id });
  }
  return runs;
}

/** Writes the run row for one event and automation, or finds the one an earlier delivery wrote. */
export async function insertRun(tx: Tx, req: RunRequest): Promise<StartedRun> {
  const workflowId = automationWorkflowId(req.tenantId, req.automationId, req.eventKey);
  const [row] = await tx
    .insert(automationRuns)
    .values({
      tenantId: req.tenantId,
      automationId: req.automationId,
      versionId: req.versionId,
      testDefinition: req.testDefinition ?? null,
      eventKey: req.eventKey,
      triggerType: req.triggerType,
      trigger: req.trigger,
      conversationId: req.conversationId ?? null,
      contactId: req.contactId ?? null,
      workflowId,
    })
    .onConflictDoNothing({ target: [automationRuns.automationId, automationRuns.eventKey] })
    .returning({ id: automationRuns.id });
  if (row) return { runId: row.id, workflowId, created: true };
  const [existing] = await tx
    .select({ id: automationRuns.id, workflowId: automationRuns.workflowId })
    .from(automationRuns)
    .where(and(eq(automationRuns.automationId, req.automationId), eq(automationRuns.eventKey, req.eventKey)));
  return { runId: existing.id, workflowId: existing.workflowId, created: false };
}

/**
 * Starts the workflow of a run row. Safe to repeat: the workflow id is the event's, and Temporal
 * refuses a second start of it, running or finished.
 */
export async function startRunWorkflow(client: Client, taskQueue: string, tenantId: string, run: { runId: string; workflowId: string }): Promise<void> {
  try {
    await client.workflow.start('automationRunWorkflow', {
      workflowId: run.workflowId,
      taskQueue,
      args: [{ tenantId, runId: run.runId } satisfies AutomationRunInput],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      searchAttributes: { TenantId: [tenantId], AutomationStatus: ['running'] },
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** One run for one event of one automation: the row, then its workflow. */
export async function startAutomationRun(db: Database, client: Client, taskQueue: string, req: RunRequest): Promise<StartedRun> {
  const run = await withTenant(db, req.tenantId, (tx) => insertRun(tx, req));
  await startRunWorkflow(client, taskQueue, req.tenantId, run);
  return run;
}

/** Truncates long strings so a trigger payload stays small in the run row and the run's context. */
export function boundedText(text: string, max = 4_000): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

