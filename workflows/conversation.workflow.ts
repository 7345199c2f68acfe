import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  defineQuery,
  defineSignal,
  defineUpdate,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type {
  ActorArgs,
  AutomationActionArgs,
  AgentReplyArgs,
  AiReplyDecision,
  AssignArgs,
  CloseArgs,
  ConversationInput,
  ConversationState,
  ConversationSummary,
  ConversationView,
  InboundSignal,
  SnoozeArgs,
  StateChange,
  ToolDecisionArgs,
} from '../temporal/contracts.js';
import { NEW_CONVERSATION } from '../temporal/contracts.js';
import { Lock } from './lock.js';

export const inbound = defineSignal<[InboundSignal]>('inbound');
export const takeOver = defineUpdate<ConversationView, [ActorArgs]>('takeOver');
export const handBack = defineUpdate<ConversationView, [ActorArgs]>('handBack');
export const assign = defineUpdate<ConversationView, [AssignArgs]>('assign');
export const agentReply = defineUpdate<ConversationView, [AgentReplyArgs]>('agentReply');
export const snooze = defineUpdate<ConversationView, [SnoozeArgs]>('snooze');
export const close = defineUpdate<ConversationView, [CloseArgs]>('close');
/** Opens a snoozed, resolved or closed conversation again, now rather than on the customer's next message. */
export const reopen = defineUpdate<ConversationView, [ActorArgs]>('reopen');
export const decideToolCall = defineUpdate<ConversationView, [ToolDecisionArgs]>('decideToolCall');
/** An automation run's assign or handoff step: no user acts, so it is not one of the agents' updates. */
export const automationAction = defineUpdate<ConversationView, [AutomationActionArgs]>('automationAction');
export const stateQuery = defineQuery<ConversationView>('state');

const RECENT_LIMIT = 500;
const DEFAULT_IDLE_MS = 24 * 3_600_000;
const DEFAULT_APPROVAL_MS = 24 * 3_600_000;
// The agent's own limit is lower (activities/ai/reply-pipeline.ts); this one stops a runaway loop.
const MAX_TOOL_ROUNDS = 5;

// State writes are idempotent upserts: retry them for a while, they are cheap.
const { loadConversationState, recordConversationChange } = proxyActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '10s' },
});
// One small write per message: a local activity spares the server round trips of a regular one.
const { claimInbound } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
});
// The responder may think for a while (an LLM); heartbeats let a crashed worker's attempt be
// retried fast. After about two minutes of failures (a provider down or misconfigured) the
// conversation goes to a human rather than waiting on the AI: see the catch in handleInbound.
const { composeAiReply, answerInbound } = proxyActivities<Activities>({
  startToCloseTimeout: '2m',
  heartbeatTimeout: '5s',
  retry: { initialInterval: '500ms', maximumInterval: '30s', maximumAttempts: 9 },
});
// The fast path: a reply the local agent can write at once, and a send, run inside the workflow
// task that asked for them, sparing the server round trips of a scheduled activity. Anything slow
// (a model, think time) or failing goes on to the regular activities below.
const quick = proxyLocalActivities<Activities>({
  // Above the providers' 15 s client timeout: a send on a slow channel finishes rather than repeats.
  startToCloseTimeout: '20s',
  retry: { initialInterval: '100ms', maximumAttempts: 2 },
});
// Sends go through the outbox, which refuses a second send of the same message.
const { deliverMessage, discardMessage } = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  heartbeatTimeout: '20s',
  retry: { initialInterval: '500ms', maximumInterval: '1m' },
});
// Tools may call a tenant's endpoint: bounded retries (the same idempotency key each time), then
// the call is recorded as failed and the agent answers without it.
const { executeToolCall } = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '20s', maximumAttempts: 5 },
});
const { finishToolCall, writeApprovalNotice, writeFollowUp, cancelFollowUps } = proxyActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '10s' },
});

/**
 * One run per open conversation. Owns who answers (`ai` or `human`), the assignee, snooze and the
 * idle auto-close timer. Closing ends the run; the next inbound message starts a new run with the
 * same id, which reopens the conversation.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<ConversationView> {
  const { tenantId, conversationId } = input;
  // A run started with a version takes today's path and asks no patch: it records no markers, so a
  // new run's first workflow task only schedules the answer (docs/decisions/015).
  const versioned = input.version !== undefined;
  // Runs recorded before inbound claims existed replay without them (see workflows/histories).
  const claimsInbound = versioned || patched('claim-inbound');
  // Runs recorded before answerInbound replay with the local fast path, and older ones with
  // step-by-step activities only (see workflows/histories).
  const answersInOne = versioned || patched('answer-activity');
  const quickPath = answersInOne || patched('quick-reply');
  const lock = new Lock();
  // Handlers are registered before the first await, so an update that starts this run is never
  // rejected as unhandled; update bodies wait for `ready` before they read state.
  let ready = false;
  const created = (): ConversationState => ({ ...NEW_CONVERSATION, assigneeId: null, snoozedUntil: null, idleTimeoutMs: DEFAULT_IDLE_MS });
  let state = created();
  let pending: string[] = [];
  let recent: string[] = [];
  let handled = 0;
  let closing = false;
  // The state was assumed (input.opening), not read: see settle().
  let unverified = false;
  // Tool calls waiting for a human, with the verdict once given.
  const awaiting = new Map<string, { approve: boolean; userId: string } | null>();
  let followUps: Array<{ id: string; dueAt: number }> = [];
  const approvalTimeoutMs = input.approvalTimeoutMs ?? DEFAULT_APPROVAL_MS;
  // Bumped by every change so the main loop re-arms its timers.
  let revision = 0;
  const seen = new Set<string>();

  const view = (): ConversationView => ({
    tenantId,
    conversationId,
    status: state.status,
    owner: state.owner,
    assigneeId: state.assigneeId,
    snoozedUntil: state.snoozedUntil === null ? null : new Date(state.snoozedUntil).toISOString(),
    pending: pending.length,
    handled,
    awaitingApproval: [...awaiting.keys()],
    followUps: followUps.length,
  });

  /** A new run's state, read inside its first workflow task when it can be. */
  const loadState = async () => {
    if (quickPath) {
      try {
        return await quick.loadConversationState({ tenantId, conversationId });
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
      }
    }
    return loadConversationState({ tenantId, conversationId });
  };

  /** Sends a queued message through the outbox; on the fast path first, then as a regular activity. */
  const deliver = async (messageId: string) => {
    if (quickPath) {
      try {
        await quick.deliverMessage({ tenantId, messageId });
        return;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
      }
    }
    await deliverMessage({ tenantId, messageId });
  };

  type ComposeArgs = Parameters<Activities['composeAiReply']>[0];

  /**
   * One turn of the AI: written at once when the local agent can, else by the regular activity. A
   * model's turn is never a local activity: it would hold the workflow task, and a takeover could
   * not land while the model thinks (workflows/conversation.workflow.integration.test.ts).
   */
  const compose = async (args: ComposeArgs): Promise<AiReplyDecision> => {
    if (quickPath) {
      try {
        const decision = await quick.composeQuickReply(args);
        if (decision) return decision;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
      }
    }
    return composeAiReply(args);
  };

  /** Takes the state as read from Postgres, unless the run has read it since. */
  const adopt = (read: ConversationState) => {
    if (!unverified) return;
    unverified = false;
    state = { ...read, idleTimeoutMs: input.idleTimeoutMs ?? read.idleTimeoutMs };
    publishSearchAttributes();
    revision++;
  };
  /** Reads the state this run assumed before acting on it. Call under the lock. */
  const settle = async () => {
    if (unverified) adopt(await loadState());
  };

  const publishSearchAttributes = () => {
    const wanted = { TenantId: [tenantId], ConversationStatus: [state.status], ConversationOwner: [state.owner] };
    // Set already (by the starter, or by an earlier change): a versioned run skips the command.
    const current = workflowInfo().searchAttributes;
    if (versioned && Object.entries(wanted).every(([key, [value]]) => current[key]?.[0] === value)) return;
    upsertSearchAttributes(wanted);
  };

  const apply = async (patch: StateChange['patch'], action: string, actorUserId: string | null) => {
    // The team lives in the read model only: kept in state, a stale id would ride along in every
    // continue-as-new input.
    const { teamId: _team, ...own } = patch;
    Object.assign(state, own);
    await recordConversationChange({ tenantId, conversationId, patch, action, actorUserId });
    publishSearchAttributes();
    revision++;
  };

  /** Runs an update's body once state is loaded, serialised with every other change. */
  const exclusive = <T>(fn: () => Promise<T>) =>
    lock.run(async () => {
      await condition(() => ready);
      await settle();
      if (closing) throw refused('the conversation is closing');
      return fn();
    });

  const rejectIfClosing = () => {
    if (closing) throw new Error('the conversation is closing');
  };

  setHandler(inbound, ({ messageId }) => {
    if (typeof messageId !== 'string' || seen.has(messageId) || pending.includes(messageId)) return;
    pending.push(messageId);
  });

  setHandler(stateQuery, view);

  setHandler(
    takeOver,
    (args) =>
      exclusive(async () => {
        if (state.owner === 'human') throw refused('the conversation is already handled by a human');
        await apply({ owner: 'human', assigneeId: state.assigneeId ?? args.userId }, 'conversation.taken_over', args.userId);
        return view();
      }),
    { validator: (args) => (requireUser(args), rejectIfClosing()) },
  );

  setHandler(
    handBack,
    (args) =>
      exclusive(async () => {
        if (state.owner === 'ai') throw refused('the AI already owns the conversation');
        await apply({ owner: 'ai' }, 'conversation.handed_back', args.userId);
        return view();
      }),
    { validator: (args) => (requireUser(args), rejectIfClosing()) },
  );

  setHandler(
    assign,
    (args) =>
      exclusive(async () => {
        // Only the keys given: a history from before teams replays the same activity input.
        const patch: StateChange['patch'] = {};
        if (args.assigneeId !== undefined) patch.assigneeId = args.assigneeId;
        if (args.teamId !== undefined) patch.teamId = args.teamId;
        await apply(patch, 'conversation.assigned', args.userId);
        return view();
      }),
    {
      validator: (args) => {
        requireUser(args);
        rejectIfClosing();
        if (args.assigneeId === undefined && args.teamId === undefined) throw new Error('give assigneeId, teamId or both');
        for (const key of ['assigneeId', 'teamId'] as const) {
          const value = args[key];
          if (value !== undefined && value !== null && typeof value !== 'string') throw new Error(`${key} must be an id or null`);
        }
      },
    },
  );

  setHandler(
    agentReply,
    (args) =>
      exclusive(async () => {
        // A human answering silences the AI: that is what stops the bot talking over an agent.
        const patch: StateChange['patch'] = {};
        if (!args.survey) {
          if (state.owner !== 'human') patch.owner = 'human';
          if (state.assigneeId === null) patch.assigneeId = args.userId;
          if (state.status !== 'open') Object.assign(patch, { status: 'open', snoozedUntil: null });
        }
        if (Object.keys(patch).length > 0) await apply(patch, 'conversation.agent_replied', args.userId);
        await deliver(args.messageId);
        revision++;
        return view();
      }),
    {
      validator: (args) => {
        requireUser(args);
        rejectIfClosing();
        if (typeof args.messageId !== 'string' || !args.messageId) throw new Error('messageId is required');
      },
    },
  );

  setHandler(
    snooze,
    (args) =>
      exclusive(async () => {
        const until = args.until === null ? null : Date.parse(args.until);
        await apply({ status: 'snoozed', snoozedUntil: until }, 'conversation.snoozed', args.userId);
        return view();
      }),
    {
      validator: (args) => {
        requireUser(args);
        rejectIfClosing();
        if (args.until !== null) {
          const t = Date.parse(args.until);
          if (Number.isNaN(t)) throw new Error('until must be an ISO time or null');
          if (t <= Date.now()) throw new Error('until must be in the future');
        }
      },
    },
  );

  setHandler(
    automationAction,
    (args) =>
      exclusive(async () => {
        // Idempotent: a retried step finds the change made and changes nothing.
        if (args.action === 'handoff') {
          const owner = args.to;
          if (state.owner !== owner) await apply({ owner }, owner === 'human' ? 'automation.handed_off' : 'automation.handed_back', null);
        } else {
          const patch: StateChange['patch'] = {};
          if (args.assigneeId !== undefined && args.assigneeId !== state.assigneeId) patch.assigneeId = args.assigneeId;
          if (args.teamId !== undefined) patch.teamId = args.teamId;
          if (Object.keys(patch).length > 0) await apply(patch, 'automation.assigned', null);
        }
        return view();
      }),
    {
      validator: (args) => {
        rejectIfClosing();
        if (!args || typeof args.runId !== 'string' || !args.runId) throw new Error('runId is required');
        if (args.action === 'handoff') {
          if (args.to !== 'human' && args.to !== 'ai') throw new Error("to must be 'human' or 'ai'");
        } else if (args.action === 'assign') {
          for (const key of ['assigneeId', 'teamId'] as const) {
            const value = args[key];
            if (value !== undefined && value !== null && typeof value !== 'string') throw new Error(`${key} must be an id or null`);
          }
        } else {
          throw new Error('action must be handoff or assign');
        }
      },
    },
  );

  setHandler(
    reopen,
    (args) =>
      exclusive(async () => {
        if (state.status === 'open') throw refused('the conversation is already open');
        await apply({ status: 'open', snoozedUntil: null }, 'conversation.reopened', args.userId);
        return view();
      }),
    { validator: (args) => (requireUser(args), rejectIfClosing()) },
  );

  setHandler(
    close,
    (args) =>
      exclusive(async () => {
        closing = true;
        await apply({ status: args.status ?? 'resolved', snoozedUntil: null }, 'conversation.closed', args.userId);
        return view();
      }),
    {
      validator: (args) => {
        requireUser(args);
        rejectIfClosing();
        if (args.status !== undefined && args.status !== 'resolved' && args.status !== 'closed') {
          throw new Error("status must be 'resolved' or 'closed'");
        }
      },
    },
  );

  setHandler(
    decideToolCall,
    async (args) => {
      awaiting.set(args.callId, { approve: args.approve, userId: args.userId });
      return view();
    },
    {
      validator: (args) => {
        requireUser(args);
        if (typeof args.callId !== 'string' || !awaiting.has(args.callId)) throw new Error('that tool call is not waiting for approval');
        if (awaiting.get(args.callId)) throw new Error('that tool call has already been decided');
        if (typeof args.approve !== 'boolean') throw new Error('approve must be true or false');
      },
    },
  );

  /** Sends what the AI wrote, unless a human owns the conversation by now: never talk over an agent. Call under the lock. */
  const deliverOrDiscard = async (messageId: string) => {
    if (state.owner === 'ai' && !closing) await deliver(messageId);
    else await discardMessage({ tenantId, messageId });
  };
  const deliverIfAi = (messageId: string) => lock.run(() => deliverOrDiscard(messageId));

  /** Hands an AI-owned conversation to humans, recording why. Call under the lock. */
  const handOff = async (action: string) => {
    if (state.owner === 'ai' && !closing) await apply({ owner: 'human' }, action, null);
  };

  /**
   * Runs one tool call the agent proposed. A call that needs approval waits here, and with it the
   * conversation's queue, until a human decides (the decideToolCall update) or the time runs out.
   */
  const runToolCall = async (call: { id: string; needsApproval: boolean }) => {
    let approvedBy: string | null = null;
    if (call.needsApproval) {
      awaiting.set(call.id, null);
      revision++;
      if (state.owner === 'ai') {
        const notice = await writeApprovalNotice({ tenantId, conversationId, callId: call.id, messageId: uuid4() });
        await deliverIfAi(notice.messageId);
      }
      await condition(() => !!awaiting.get(call.id) || closing, approvalTimeoutMs);
      const verdict = awaiting.get(call.id) ?? null;
      awaiting.delete(call.id);
      revision++;
      if (!verdict?.approve) {
        const reason = verdict ? 'A teammate declined this action.' : closing ? 'The conversation closed before anyone approved it.' : 'No teammate approved it in time.';
        await finishToolCall({ tenantId, callId: call.id, status: verdict ? 'rejected' : 'expired', userId: verdict?.userId ?? null, reason });
        return;
      }
      approvedBy = verdict.userId;
    }
    try {
      const result = await executeToolCall({ tenantId, conversationId, callId: call.id, approvedBy });
      if (result.followUp) {
        followUps.push({ id: result.followUp.id, dueAt: Date.parse(result.followUp.dueAt) });
        revision++;
      }
      if (result.handoff) {
        await lock.run(() => handOff('conversation.handed_off'));
      }
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await finishToolCall({ tenantId, callId: call.id, status: 'failed', userId: null, reason: 'The tool kept failing; try again later.' });
    }
  };

  const sendDueFollowUps = async () => {
    const now = Date.now();
    for (const f of followUps.filter((x) => x.dueAt <= now)) {
      followUps = followUps.filter((x) => x.id !== f.id);
      const written = await writeFollowUp({ tenantId, conversationId, followUpId: f.id, messageId: uuid4() });
      if (written.messageId) await deliverIfAi(written.messageId);
    }
  };

  /**
   * The fast path, for a conversation the AI owns and is not reopening or closing: claim, write and
   * send the reply in one activity. Undefined when it does not apply. Its failure is the AI's
   * failure (see the catch in handleInbound).
   */
  const answerAtOnce = async (messageId: string, replyId: string) => {
    if (closing || state.status !== 'open' || state.owner !== 'ai') return undefined;
    const answered = await answerInbound({ tenantId, conversationId, messageId, replyId, verify: unverified });
    if (answered.state) adopt(answered.state);
    // No decision: the state read says this run assumed wrong; take the regular steps with it.
    return answered.fresh && !answered.decision ? undefined : answered;
  };

  /**
   * The fast path of runs recorded before answerInbound: the same in one local activity, under the
   * lock so no takeover lands in between; a failed attempt hands over to the regular steps.
   */
  const replyAtOnce = (messageId: string, replyId: string) =>
    lock.run(async () => {
      if (!claimsInbound || closing || state.status !== 'open' || state.owner !== 'ai') return undefined;
      try {
        return await quick.replyAtOnce({ tenantId, conversationId, messageId, replyId });
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        // Claimed or not, this run answers it: composeAiReply returns a reply already written.
        return { fresh: true, decision: null, delivered: false };
      }
    });

  /** Handles one inbound message; false leaves it pending because the conversation is closing. */
  const handleInbound = async (messageId: string): Promise<boolean> => {
    const quickReplyId = quickPath ? uuid4() : undefined;
    let fast: Awaited<ReturnType<typeof replyAtOnce>>;
    try {
      fast = !quickReplyId ? undefined : answersInOne ? await answerAtOnce(messageId, quickReplyId) : await replyAtOnce(messageId, quickReplyId);
    } catch (err) {
      // Only answerInbound throws one: replyAtOnce hands its failures to the regular steps.
      if (!(err instanceof ActivityFailure)) throw err;
      await aiFailed(messageId, err);
      return true;
    }
    if (fast && !fast.fresh) return true;
    if (!fast) {
      const admitted = await lock.run(async () => {
        // Closing: the next run (continue-as-new below) takes the message, and reopens for it.
        if (closing) return 'later';
        // A signal repeated after an earlier run ended arrives here as new: the claim says otherwise.
        const claim = claimsInbound ? await claimInbound({ tenantId, conversationId, messageId }) : undefined;
        if (claim && !claim.fresh) return 'seen';
        // Any customer message wakes a snoozed or resolved conversation.
        if (state.status !== 'open') await apply({ status: 'open', snoozedUntil: null }, 'conversation.reopened', null);
        // An automation took it (first in the inbound order): not the AI's to answer.
        return claim?.automation ? 'seen' : 'new';
      });
      if (admitted === 'later') return false;
      if (admitted === 'seen' || state.owner !== 'ai') return true;
    }
    try {
      // Not under the lock: a takeover must land while the responder is still thinking.
      const replyId = quickReplyId ?? uuid4();
      const first = { tenantId, conversationId, inboundMessageId: messageId, replyId, round: 0 };
      let decision = fast?.decision ?? (fast ? await composeAiReply(first) : await compose(first));
      // The agent asked for tools: run them (approvals included), then let it answer with their results.
      for (let round = 1; decision.toolCalls?.length && round <= MAX_TOOL_ROUNDS; round++) {
        for (const call of decision.toolCalls) await runToolCall(call);
        decision = await compose({ tenantId, conversationId, inboundMessageId: messageId, replyId, round });
      }
      await lock.run(async () => {
        // A human may have taken over while the AI was thinking.
        if (decision.replyId && !fast?.delivered) await deliverOrDiscard(decision.replyId);
        if (decision.handoff && state.owner === 'ai') await apply({ owner: 'human' }, 'conversation.handed_off', null);
      });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await aiFailed(messageId, err);
    }
    return true;
  };

  /**
   * A non-retryable failure, or retries exhausted. The conversation must go on: hand it to a human
   * rather than fail the run and strand the messages behind this one.
   */
  const aiFailed = async (messageId: string, err: ActivityFailure) => {
    log.error('AI reply failed; handing the conversation to a human', { messageId, error: err.cause?.message ?? err.message });
    await lock.run(async () => {
      await settle();
      await handOff('conversation.ai_failed');
    });
  };

  if (input.carried) {
    const { pending: carriedPending, recent: carriedRecent, handled: carriedHandled, followUps: carriedFollowUps, ...carriedState } = input.carried;
    state = carriedState;
    followUps = carriedFollowUps ?? [];
    pending = [...carriedPending, ...pending.filter((id) => !carriedPending.includes(id))];
    recent = carriedRecent;
    handled = carriedHandled;
  } else if (input.opening && answersInOne) {
    // The message starting this run created the conversation, so its row holds the defaults: a
    // read would cost the first reply a round trip. answerInbound checks them before it acts.
    state = created();
    unverified = true;
  } else {
    state = await loadState();
  }
  if (input.idleTimeoutMs !== undefined) state.idleTimeoutMs = input.idleTimeoutMs;
  for (const id of recent) seen.add(id);
  pending = pending.filter((id) => !seen.has(id));
  ready = true;
  publishSearchAttributes();

  for (;;) {
    // A resolved or closed conversation keeps no run open: a run started for a late duplicate
    // signal or for an agent action on it ends as soon as that is done.
    if (claimsInbound && isFinished(state.status) && pending.length === 0) {
      await condition(allHandlersFinished);
      if (isFinished(state.status) && pending.length === 0) break;
    }
    const seenRevision = revision;
    const now = Date.now();
    const baseTimeout =
      state.status === 'snoozed' && state.snoozedUntil !== null
        ? Math.max(1, Math.min(state.snoozedUntil - now, state.idleTimeoutMs))
        : state.idleTimeoutMs;
    const nextFollowUp = followUps.reduce((min, f) => Math.min(min, f.dueAt), Infinity);
    const timeout = Math.max(1, Math.min(baseTimeout, nextFollowUp - now));
    const woke = await condition(() => pending.length > 0 || closing || revision !== seenRevision, timeout);

    if (followUps.some((f) => f.dueAt <= Date.now()) && !closing) {
      await sendDueFollowUps();
    } else if (!woke) {
      await lock.run(async () => {
        if (closing) return;
        if (state.status === 'snoozed' && state.snoozedUntil !== null && Date.now() >= state.snoozedUntil) {
          await apply({ status: 'open', snoozedUntil: null }, 'conversation.snooze_ended', null);
        } else if (state.status !== 'snoozed' && followUps.length === 0) {
          // A promised follow-up keeps the conversation open until it is sent.
          // Snoozed until the customer replies means waiting for them, however long that takes.
          closing = true;
          await apply({ status: 'closed', snoozedUntil: null }, 'conversation.auto_closed', null);
        }
      });
    }

    while (pending.length > 0 && !closing) {
      const messageId = pending[0];
      if (!(await handleInbound(messageId))) break;
      pending.shift();
      seen.add(messageId);
      recent.push(messageId);
      if (recent.length > RECENT_LIMIT) seen.delete(recent.shift()!);
      handled++;
    }

    // Read before the state is carried on, or a timer armed on it.
    if (unverified) await lock.run(settle);
    if (closing) break;

    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await carryOver();
    }
  }

  await condition(allHandlersFinished);
  // Messages that arrived while closing must not be lost: signalWithStart only starts a new run
  // once this one has ended, so hand them to the next run ourselves.
  if (pending.length > 0) await carryOver();
  // Closed by hand: nothing is left to follow up on.
  if (followUps.length > 0) await cancelFollowUps({ tenantId, ids: followUps.map((f) => f.id) });
  return view();

  function carryOver() {
    const carried: ConversationSummary = { ...state, pending, recent, handled, ...(followUps.length > 0 && { followUps }) };
    return continueAsNew<typeof conversationWorkflow>({ tenantId, conversationId, carried, approvalTimeoutMs: input.approvalTimeoutMs, version: input.version });
  }
}

const isFinished = (status: ConversationState['status']) => status === 'resolved' || status === 'closed';

/** Fails one update (not the workflow) when the conversation's state does not allow it. */
const refused = (message: string) => ApplicationFailure.create({ message, type: 'Refused', nonRetryable: true });

function requireUser(args: ActorArgs) {
  if (!args || typeof args.userId !== 'string' || !args.userId) throw new Error('userId is required');
}
