import { ApplicationFailure, Context } from '@temporalio/activity';
import { and, eq, sql } from 'drizzle-orm';
import { withTenant, type Tx } from '../../db/client.js';
import { automationRunSteps, automationRuns, automations, automationVersions, contacts, messages, tenants, type AutomationRunStatus, type DefinitionJson } from '../../db/schema/index.js';
import { boundedText, insertRun } from '../../temporal/automation-starter.js';
import type { ActivityDeps } from '../deps.js';
import { actionNodeExecutors } from './nodes/action-nodes.js';
import { aiNodeExecutors } from './nodes/ai-nodes.js';
import type { NodeExecutor } from './nodes/node-run.js';

/** A step the workflow finished itself (control nodes, failures), written with the next activity. */
export interface StepRecord {
  seq: number;
  nodeId: string;
  nodeType: string;
  status: 'succeeded' | 'failed';
  branch: string | null;
  input?: unknown;
  output?: unknown;
  error?: string;
  /** Epoch ms, workflow time. */
  startedAt: number;
  finishedAt: number;
}

export type ContactContext = { id: string; name: string | null; email: string | null; phone: string | null; tags: string[]; attributes: Record<string, unknown> };

export interface BegunRun {
  runId: string;
  /** The run finished before (a start repeated after it ended): nothing is left to do. */
  done: boolean;
  definition: DefinitionJson;
  trigger: Record<string, unknown>;
  contact: ContactContext | null;
  conversationId: string | null;
  contactId: string | null;
  test: boolean;
  timezone: string;
}

export interface NodeInput {
  tenantId: string;
  runId: string;
  seq: number;
  nodeId: string;
  nodeType: string;
  config: Record<string, unknown>;
  effectId: string;
  conversationId: string | null;
  contactId: string | null;
  test: boolean;
  /** Control steps to write with this one. */
  steps: StepRecord[];
  /** This node ends the run when it succeeds: its record finishes the run too, sparing an activity. */
  finish?: boolean;
}

export interface ProgressInput {
  tenantId: string;
  runId: string;
  steps: StepRecord[];
  stepCount: number;
  status: Exclude<AutomationRunStatus, 'queued'>;
  waitingFor?: 'reply' | 'approval' | 'delay' | null;
  waitingNodeId?: string | null;
  error?: string | null;
  /** A wait for a reply timed out: release it, unless a reply took it at the same moment. */
  releaseReplyWait?: boolean;
  /** The reply a wait received: read it for the node's output. */
  replyMessageId?: string;
}

const EXECUTORS: Record<string, NodeExecutor> = { ...actionNodeExecutors, ...aiNodeExecutors };
/** Nodes after which the run's view of the contact is read again. */
const CHANGES_CONTACT = new Set(['action.update_contact', 'action.tag']);
const FINISHED = new Set<AutomationRunStatus>(['succeeded', 'failed', 'stopped']);

const contactColumns = { id: contacts.id, name: contacts.name, email: contacts.email, phone: contacts.phone, tags: contacts.tags, attributes: contacts.attributes };

async function readContact(tx: Tx, contactId: string | null): Promise<ContactContext | null> {
  if (!contactId) return null;
  const [row] = await tx.select(contactColumns).from(contacts).where(eq(contacts.id, contactId));
  return row ?? null;
}

function writeSteps(tx: Tx, tenantId: string, runId: string, steps: StepRecord[]) {
  if (steps.length === 0) return Promise.resolve();
  return tx
    .insert(automationRunSteps)
    .values(
      steps.map((s) => ({
        tenantId,
        runId,
        seq: s.seq,
        nodeId: s.nodeId,
        nodeType: s.nodeType,
        status: s.status,
        branch: s.branch,
        input: s.input ?? null,
        output: s.output ?? null,
        error: s.error ?? null,
        startedAt: new Date(s.startedAt),
        finishedAt: new Date(s.finishedAt),
      })),
    )
    .onConflictDoNothing();
}

export function createAutomationRunActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    /**
     * Marks a run started and hands the workflow what it walks: the version's graph, the trigger
     * payload and the contact. A Temporal Schedule's start writes its run row here first.
     */
    async beginAutomationRun(input: { tenantId: string; runId?: string; automationId?: string }): Promise<BegunRun | null> {
      const { workflowExecution } = Context.current().info;
      if (!workflowExecution) throw ApplicationFailure.nonRetryable('beginAutomationRun runs inside an automation run', 'BadInput');
      return withTenant(db, input.tenantId, async (tx) => {
        let runId = input.runId;
        if (!runId) {
          if (!input.automationId) throw ApplicationFailure.nonRetryable('give runId or automationId', 'BadInput');
          const [a] = await tx.select().from(automations).where(eq(automations.id, input.automationId));
          // Paused or unpublished since the schedule fired: no run.
          if (!a || !a.enabled || !a.activeVersionId) return null;
          const run = await insertRun(tx, {
            tenantId: input.tenantId,
            automationId: a.id,
            versionId: a.activeVersionId,
            eventKey: `schedule:${workflowExecution.workflowId}`,
            triggerType: a.triggerType ?? 'trigger.schedule',
            trigger: { scheduledAt: new Date().toISOString() },
          });
          runId = run.runId;
        }
        const [row] = await tx
          .select({ run: automationRuns, definition: automationVersions.definition, timezone: tenants.timezone })
          .from(automationRuns)
          .innerJoin(tenants, eq(tenants.id, automationRuns.tenantId))
          .leftJoin(automationVersions, eq(automationVersions.id, automationRuns.versionId))
          .where(eq(automationRuns.id, runId));
        if (!row) throw ApplicationFailure.nonRetryable(`automation run ${runId} not found`, 'NotFound');
        const { run } = row;
        const definition = row.definition ?? run.testDefinition;
        if (!definition) throw ApplicationFailure.nonRetryable(`automation run ${runId} has no graph`, 'NotFound');
        const done = FINISHED.has(run.status);
        if (!done) {
          await tx
            .update(automationRuns)
            .set({ status: run.status === 'queued' ? 'running' : run.status, startedAt: run.startedAt ?? sql`now()`, temporalRunId: workflowExecution.runId })
            .where(eq(automationRuns.id, run.id));
        }
        return {
          runId: run.id,
          done,
          definition,
          trigger: run.trigger,
          contact: await readContact(tx, run.contactId),
          conversationId: run.conversationId,
          contactId: run.contactId,
          test: run.versionId === null,
          timezone: row.timezone,
        };
      });
    },

    /**
     * Runs one I/O node. Its record is the proof it ran: a retry after the record was written
     * returns the recorded output instead of acting again, and each executor's one write is keyed
     * by the step's effect id for the window before that.
     */
    async runAutomationNode(input: NodeInput): Promise<{ output: Record<string, unknown>; contact?: ContactContext | null }> {
      const executor = EXECUTORS[input.nodeType];
      if (!executor) throw ApplicationFailure.nonRetryable(`no executor for node type ${input.nodeType}`, 'UnknownNode');
      // Only a retry can find its step recorded (the record is this activity's last write), so the
      // first attempt skips the read.
      if (Context.current().info.attempt > 1) {
        const [done] = await withTenant(db, input.tenantId, (tx) =>
          tx
            .select({ output: automationRunSteps.output })
            .from(automationRunSteps)
            .where(and(eq(automationRunSteps.runId, input.runId), eq(automationRunSteps.seq, input.seq), eq(automationRunSteps.status, 'succeeded'))),
        );
        if (done) return { output: (done.output ?? {}) as Record<string, unknown> };
      }
      const startedAt = Date.now();
      const output = await executor({ ...input, deps });
      return withTenant(db, input.tenantId, async (tx) => {
        await writeSteps(tx, input.tenantId, input.runId, [
          ...input.steps,
          { seq: input.seq, nodeId: input.nodeId, nodeType: input.nodeType, status: 'succeeded', branch: 'next', input: input.config, output, startedAt, finishedAt: Date.now() },
        ]);
        await tx
          .update(automationRuns)
          .set({ status: input.finish ? 'succeeded' : 'running', waitingFor: null, waitingNodeId: null, steps: input.seq, ...(input.finish && { finishedAt: sql`now()` }) })
          .where(eq(automationRuns.id, input.runId));
        return { output, ...(CHANGES_CONTACT.has(input.nodeType) && { contact: await readContact(tx, input.contactId) }) };
      });
    },

    /** Writes the steps so far and the run's status: before a wait, after it, and at the end. */
    async saveAutomationProgress(input: ProgressInput): Promise<{ replyTaken?: boolean; message?: { id: string; text: string; channel: string } }> {
      return withTenant(db, input.tenantId, async (tx) => {
        await writeSteps(tx, input.tenantId, input.runId, input.steps);
        let replyTaken: boolean | undefined;
        if (input.releaseReplyWait) {
          const released = await tx
            .update(automationRuns)
            .set({ waitingFor: null, waitingNodeId: null, status: 'running', steps: input.stepCount })
            .where(and(eq(automationRuns.id, input.runId), eq(automationRuns.waitingFor, 'reply')))
            .returning({ id: automationRuns.id });
          replyTaken = released.length === 0;
        } else {
          await tx
            .update(automationRuns)
            .set({
              status: input.status,
              waitingFor: input.waitingFor ?? null,
              waitingNodeId: input.waitingNodeId ?? null,
              steps: input.stepCount,
              ...(input.error !== undefined && { error: input.error }),
              ...(FINISHED.has(input.status) && { finishedAt: sql`now()` }),
            })
            .where(eq(automationRuns.id, input.runId));
        }
        let message: { id: string; text: string; channel: string } | undefined;
        if (input.replyMessageId) {
          const [m] = await tx.select({ id: messages.id, content: messages.content, channel: messages.channel }).from(messages).where(eq(messages.id, input.replyMessageId));
          if (m) message = { id: m.id, text: boundedText(m.content), channel: m.channel };
        }
        return { ...(replyTaken !== undefined && { replyTaken }), ...(message && { message }) };
      });
    },
  };
}
