/**
 * The automation interpreter: one run of one published version (or a draft's test run) for one
 * trigger event. Control nodes (if, switch, delay, waits, stop) run here in workflow code; I/O
 * nodes (AI, actions) run as activities with the node's own retries and timeout. Each step is
 * recorded in Postgres for the app's run history; control steps ride along with the next write.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { BegunRun, NodeInput, ProgressInput, StepRecord } from '../activities/automation/run.activities.js';
import type { AutomationApprovalArgs, AutomationReplySignal, AutomationRunInput, AutomationRunView } from '../temporal/contracts.js';
import { DEFAULT_BUSINESS_HOURS, delayUntil } from './automation/calendar.js';
import type { AutomationDefinition, AutomationNode } from './automation/definition.js';
import { evaluateCondition, render, renderDeep, type ExprContext } from './automation/expressions.js';

export const reply = defineSignal<[AutomationReplySignal]>('reply');
export const approve = defineUpdate<{ accepted: true }, [AutomationApprovalArgs]>('approve');
export const automationRunState = defineQuery<AutomationRunView>('state');

/** A cycle in the graph (allowed: "ask again until answered") cannot run forever. */
export const MAX_STEPS = 500;
const NEXT = 'next';
const STOP = Symbol('stop');

// Run bookkeeping: small writes, retried for as long as it takes; local, so each costs no server round trip.
const { beginAutomationRun, saveAutomationProgress } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '10s' },
});

const nodeRunners = new Map<string, Activities['runAutomationNode']>();
/** The activity for one I/O node, with that node's attempts and timeout. */
function runnerFor(node: AutomationNode): Activities['runAutomationNode'] {
  const ai = node.type.startsWith('ai.');
  const attempts = node.retry?.maxAttempts ?? 3;
  const timeout = node.timeoutSeconds ?? (ai ? 90 : 30);
  const key = `${attempts}:${timeout}`;
  let runner = nodeRunners.get(key);
  if (!runner) {
    runner = proxyActivities<Activities>({
      startToCloseTimeout: `${timeout}s`,
      retry: { maximumAttempts: attempts, initialInterval: '1s', maximumInterval: '30s' },
    }).runAutomationNode;
    nodeRunners.set(key, runner);
  }
  return runner;
}

type Outcome = { branch: string | typeof STOP; output: unknown; recorded?: boolean; finished?: boolean };

export async function automationRunWorkflow(input: AutomationRunInput): Promise<AutomationRunView> {
  const { tenantId } = input;
  let runId = input.carried?.runId ?? input.runId ?? null;
  let status: AutomationRunView['status'] = 'running';
  let at: string | null = null;
  let waitingFor: AutomationRunView['waitingFor'] = null;
  let seq = input.carried?.seq ?? 0;
  let pending: StepRecord[] = [];
  const replies: string[] = [];
  const seenReplies = new Set<string>();
  const verdicts = new Map<string, { approve: boolean; userId: string }>();
  let awaitingApproval: string | null = null;

  const view = (): AutomationRunView => ({ runId, status, nodeId: at, waitingFor, steps: seq });

  setHandler(automationRunState, view);
  setHandler(reply, (signal) => {
    const messageId = signal?.messageId;
    if (typeof messageId !== 'string' || seenReplies.has(messageId)) return;
    seenReplies.add(messageId);
    replies.push(messageId);
  });
  setHandler(
    approve,
    (args) => {
      verdicts.set(args.nodeId, { approve: args.approve, userId: args.userId });
      return { accepted: true as const };
    },
    {
      validator: (args) => {
        if (!args || typeof args.nodeId !== 'string') throw new Error('nodeId is required');
        if (args.nodeId !== awaitingApproval || verdicts.has(args.nodeId)) throw new Error(`this run is not waiting for an approval at ${args.nodeId}`);
        if (typeof args.approve !== 'boolean') throw new Error('approve must be true or false');
        if (typeof args.userId !== 'string' || !args.userId) throw new Error('userId is required');
      },
    },
  );

  const begun: BegunRun | null = await beginAutomationRun({ tenantId, runId: runId ?? undefined, automationId: input.automationId });
  if (!begun) {
    status = 'stopped';
    return view();
  }
  runId = begun.runId;
  if (begun.done) return view();
  const run = begun;

  const definition = run.definition as unknown as AutomationDefinition;
  const nodes = new Map(definition.nodes.map((n) => [n.id, n]));
  const edges = new Map(definition.edges.map((e) => [`${e.source}\n${e.handle ?? NEXT}`, e.target]));
  const target = (nodeId: string, branch: string) => edges.get(`${nodeId}\n${branch}`);
  const ctx: ExprContext = { trigger: run.trigger, nodes: input.carried?.nodes ?? {}, contact: run.contact };

  const publishStatus = () => upsertSearchAttributes({ TenantId: [tenantId], AutomationStatus: [status] });
  publishStatus();

  /** Writes the buffered steps with the run's status. */
  const save = async (p: Omit<ProgressInput, 'tenantId' | 'runId' | 'steps' | 'stepCount'>) => {
    const steps = pending;
    pending = [];
    try {
      return await saveAutomationProgress({ tenantId, runId: run.runId, steps, stepCount: seq, ...p });
    } catch (err) {
      pending = [...steps, ...pending];
      throw err;
    }
  };

  const enterWait = async (kind: NonNullable<AutomationRunView['waitingFor']>, nodeId: string) => {
    status = 'waiting';
    waitingFor = kind;
    publishStatus();
    await save({ status: 'waiting', waitingFor: kind, waitingNodeId: nodeId });
  };
  const leaveWait = () => {
    status = 'running';
    waitingFor = null;
    publishStatus();
  };

  /** An I/O node: its rendered config goes to the activity, which records the step with its effect. */
  const runIo = async (node: AutomationNode, config: Record<string, unknown>): Promise<Outcome> => {
    // Nothing follows a plain node without a `next` edge: its record can finish the run.
    const finish = target(node.id, NEXT) === undefined;
    const steps = pending;
    pending = [];
    const nodeInput: NodeInput = {
      tenantId, runId: run.runId, seq, nodeId: node.id, nodeType: node.type, config, effectId: uuid4(),
      conversationId: run.conversationId, contactId: run.contactId, test: run.test, steps, finish,
    };
    try {
      const done = await runnerFor(node)(nodeInput);
      if (done.contact !== undefined) ctx.contact = done.contact;
      return { branch: NEXT, output: done.output, recorded: true, finished: finish };
    } catch (err) {
      pending = [...steps, ...pending];
      throw err;
    }
  };

  const execute = async (node: AutomationNode, stepInput: { value?: unknown }): Promise<Outcome> => {
    switch (node.type) {
      case 'logic.if': {
        const result = evaluateCondition(node.config.condition, ctx);
        return { branch: result ? 'yes' : 'no', output: { result } };
      }
      case 'logic.switch': {
        const value = asText(render(node.config.value, ctx));
        const hit = node.config.cases.find((c) => c.equals === value);
        return { branch: hit?.key ?? 'default', output: { value, case: hit?.key ?? 'default' } };
      }
      case 'logic.delay': {
        const { seconds, until, timezone, businessHoursOnly } = node.config;
        const due =
          seconds !== undefined
            ? Date.now() + seconds * 1000
            : delayUntil(asText(render(until!, ctx)), timezone ?? run.timezone, Date.now(), businessHoursOnly ? DEFAULT_BUSINESS_HOURS : undefined);
        stepInput.value = { until: new Date(due).toISOString() };
        if (due > Date.now()) {
          await enterWait('delay', node.id);
          await sleep(due - Date.now());
          leaveWait();
        }
        return { branch: NEXT, output: { until: new Date(due).toISOString() } };
      }
      case 'logic.wait_for_reply': {
        if (!run.conversationId) throw new Error('This run has no conversation to wait for a reply in');
        await enterWait('reply', node.id);
        let got = await condition(() => replies.length > 0, node.config.timeoutSeconds * 1000);
        if (!got) {
          // A reply may have taken the wait at the very moment it ended: then it is ours, on its way.
          const released = await save({ status: 'running', releaseReplyWait: true });
          if (released.replyTaken) got = await condition(() => replies.length > 0).then(() => true);
        }
        leaveWait();
        if (!got) return { branch: 'timeout', output: { timedOut: true } };
        const messageId = replies.shift()!;
        const read = await save({ status: 'running', replyMessageId: messageId });
        return { branch: NEXT, output: { message: read.message ?? { id: messageId } } };
      }
      case 'logic.approval': {
        awaitingApproval = node.id;
        await enterWait('approval', node.id);
        const decided = await condition(() => verdicts.has(node.id), node.config.timeoutSeconds * 1000);
        awaitingApproval = null;
        leaveWait();
        await save({ status: 'running' });
        if (!decided) return { branch: 'timeout', output: { approved: null } };
        const verdict = verdicts.get(node.id)!;
        return { branch: verdict.approve ? NEXT : 'rejected', output: { approved: verdict.approve, by: verdict.userId } };
      }
      case 'logic.stop':
        return { branch: STOP, output: {} };
      default: {
        if (node.type.startsWith('trigger.')) throw new Error('A trigger cannot follow another node');
        const config = renderDeep(node.config, ctx) as Record<string, unknown>;
        stepInput.value = config;
        return runIo(node, config);
      }
    }
  };

  const finish = async (final: 'succeeded' | 'failed' | 'stopped', error?: string) => {
    status = final;
    waitingFor = null;
    publishStatus();
    await save({ status: final, ...(error !== undefined && { error }) });
  };

  try {
    let current: string | undefined;
    if (input.carried) {
      current = input.carried.nodeId;
    } else {
      const trigger = definition.nodes.find((n) => n.type.startsWith('trigger.'));
      if (!trigger) throw ApplicationFailure.nonRetryable('The graph has no trigger', 'InvalidAutomation');
      seq = 1;
      const now = Date.now();
      pending.push({ seq, nodeId: trigger.id, nodeType: trigger.type, status: 'succeeded', branch: NEXT, startedAt: now, finishedAt: now });
      current = target(trigger.id, NEXT);
    }

    while (current !== undefined) {
      if (workflowInfo().continueAsNewSuggested) {
        await save({ status: 'running' });
        return await continueAsNew<typeof automationRunWorkflow>({ tenantId, carried: { runId: run.runId, nodeId: current, seq, nodes: ctx.nodes } });
      }
      const node = nodes.get(current);
      if (!node) throw ApplicationFailure.nonRetryable(`The graph has no node ${current}`, 'InvalidAutomation');
      if (seq >= MAX_STEPS) {
        const message = `Stopped after ${MAX_STEPS} steps: the graph loops without end`;
        await finish('failed', message);
        throw ApplicationFailure.nonRetryable(message, 'StepCapReached');
      }
      seq++;
      at = node.id;
      const startedAt = Date.now();
      const stepInput: { value?: unknown } = {};
      let outcome: Outcome;
      try {
        outcome = await execute(node, stepInput);
      } catch (err) {
        if (isCancellation(err)) throw err;
        const message = describe(err);
        pending.push({ seq, nodeId: node.id, nodeType: node.type, status: 'failed', branch: 'error', input: stepInput.value, error: message, startedAt, finishedAt: Date.now() });
        const handler = target(node.id, 'error');
        if (handler === undefined) {
          await finish('failed', `${node.id}: ${message}`);
          throw ApplicationFailure.nonRetryable(`Node ${node.id} failed: ${message}`, 'AutomationNodeFailed');
        }
        ctx.nodes[node.id] = { output: { error: message } };
        current = handler;
        continue;
      }
      ctx.nodes[node.id] = { output: outcome.output };
      if (!outcome.recorded) {
        pending.push({
          seq, nodeId: node.id, nodeType: node.type, status: 'succeeded', branch: outcome.branch === STOP ? null : outcome.branch,
          input: stepInput.value, output: outcome.output, startedAt, finishedAt: Date.now(),
        });
      }
      if (outcome.finished) {
        status = 'succeeded';
        publishStatus();
        return view();
      }
      if (outcome.branch === STOP) break;
      current = target(node.id, outcome.branch);
    }
    await finish('succeeded');
    return view();
  } catch (err) {
    // Cancelled from the Temporal UI or the API: the record says so, whatever the cancellation interrupted.
    if (isCancellation(err)) await CancellationScope.nonCancellable(() => finish('stopped', 'Cancelled'));
    throw err;
  }
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function describe(err: unknown): string {
  if (err instanceof ActivityFailure) return err.cause?.message ?? err.message;
  return err instanceof Error ? err.message : String(err);
}
