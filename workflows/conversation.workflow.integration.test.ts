import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { auditLog, conversations, messages } from '../db/schema/index.js';
import { conversationStartOptions } from '../temporal/conversation-start.js';
import { conversationWorkflowId } from '../temporal/contracts.js';
import { eventually, startHarness, type Harness } from '../scripts/testing/harness.js';
import { startFakeOpenAi } from '../scripts/testing/fake-openai-server.js';
import { close, conversationWorkflow, inbound, snooze, stateQuery, takeOver } from './conversation.workflow.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ aiReplyDelayMs: 400 });
});
afterAll(async () => h?.close());

/** A widget conversation whose workflow is started directly, with a short idle timeout. */
async function startConversation(label: string, idleTimeoutMs: number) {
  const ws = await h.signup(label);
  const v = await h.visitor(ws.tenant.widgetKey);
  const [conv] = await h.db.insert(conversations).values({ tenantId: ws.tenant.id, contactId: v.contactId, channel: 'widget' }).returning();
  const handle = await h.temporal.workflow.start(conversationWorkflow, conversationStartOptions(h.taskQueue, { tenantId: ws.tenant.id, conversationId: conv.id, idleTimeoutMs }));
  const say = (text: string) => h.call('POST', '/v1/widget/messages', { content: text, clientMessageId: randomUUID() }, v.sessionToken);
  const row = async () => (await h.db.select().from(conversations).where(eq(conversations.id, conv.id)))[0];
  return { ws, v, id: conv.id, handle, say, row };
}

const actions = async (id: string) => (await h.db.select().from(auditLog).where(eq(auditLog.targetId, id))).map((a) => a.action);

describe('conversation workflow', () => {
  it('closes itself after the idle timeout, and the next customer message reopens it in a new run', async () => {
    const c = await startConversation('idle', 1500);
    await c.say('hello');
    await c.handle.result();
    expect((await c.row()).status).toBe('closed');
    expect(await actions(c.id)).toContain('conversation.auto_closed');

    await c.say('are you there?');
    await eventually(async () => (await c.row()).status === 'open', 'reopened');
    // Search attributes follow the read model within the same workflow task or the next.
    const desc = await eventually(async () => {
      const d = await h.temporal.workflow.getHandle(c.handle.workflowId).describe();
      return d.searchAttributes.ConversationStatus?.[0] === 'open' && d;
    }, 'search attributes');
    expect(desc.runId).not.toBe(c.handle.firstExecutionRunId);
    expect(desc.searchAttributes.ConversationStatus).toEqual(['open']);
    expect(desc.searchAttributes.TenantId).toEqual([c.ws.tenant.id]);
  });

  it('wakes a snoozed conversation when its snooze time comes', async () => {
    const c = await startConversation('snooze', 60_000);
    const until = new Date(Date.now() + 1500).toISOString();
    const view = await c.handle.executeUpdate(snooze, { args: [{ userId: c.ws.user.id, until }] });
    expect(view.status).toBe('snoozed');
    expect((await c.row()).status).toBe('snoozed');
    await eventually(async () => (await c.row()).status === 'open', 'snooze end', 10_000);
    expect(await actions(c.id)).toContain('conversation.snooze_ended');
  });

  it('ignores a message signalled again after its conversation ended: no second reply, no reopening', async () => {
    const c = await startConversation('stale', 60_000);
    const first = await c.say('Hello');
    await eventually(async () => (await h.db.select().from(messages).where(and(eq(messages.conversationId, c.id), eq(messages.authorRole, 'ai')))).length === 1, 'reply');
    await c.handle.executeUpdate(close, { args: [{ userId: c.ws.user.id }] });
    await c.handle.result();
    // A late duplicate (a retried signal, a sweeper on another API process) starts a new run.
    const late = await h.temporal.workflow.signalWithStart(conversationWorkflow, {
      ...conversationStartOptions(h.taskQueue, { tenantId: c.ws.tenant.id, conversationId: c.id }),
      signal: inbound,
      signalArgs: [{ messageId: first.body.messageId }],
    });
    const view = await h.temporal.workflow.getHandle(late.workflowId, late.signaledRunId).result();
    expect(view).toMatchObject({ status: 'resolved', handled: 1 });
    expect((await c.row()).status).toBe('resolved');
    const replies = await h.db.select().from(messages).where(and(eq(messages.conversationId, c.id), eq(messages.authorRole, 'ai')));
    expect(replies).toHaveLength(1);
  });

  it('checks the state an opening run assumed: a conversation closed by a human before its first signal is reopened for them, unanswered', async () => {
    const ws = await h.signup('opening');
    const v = await h.visitor(ws.tenant.widgetKey);
    // What a run told `opening` would meet if an agent took the new conversation over and resolved
    // it before the first message's signal arrived.
    const [conv] = await h.db.insert(conversations).values({ tenantId: ws.tenant.id, contactId: v.contactId, channel: 'widget', owner: 'human', status: 'resolved' }).returning();
    const [msg] = await h.db
      .insert(messages)
      .values({ tenantId: ws.tenant.id, conversationId: conv.id, direction: 'inbound', authorRole: 'customer', channel: 'widget', content: 'hello?', deliveryStatus: 'received' })
      .returning();
    const handle = await h.temporal.workflow.signalWithStart(conversationWorkflow, {
      ...conversationStartOptions(h.taskQueue, { tenantId: ws.tenant.id, conversationId: conv.id, opening: true }),
      signal: inbound,
      signalArgs: [{ messageId: msg.id }],
    });
    const view = await eventually(async () => {
      const s = await handle.query(stateQuery);
      return s.handled === 1 && s;
    }, 'message handled');
    expect(view).toMatchObject({ owner: 'human', status: 'open' });
    expect(await actions(conv.id)).toContain('conversation.reopened');
    const replies = await h.db.select().from(messages).where(and(eq(messages.conversationId, conv.id), eq(messages.authorRole, 'ai')));
    expect(replies).toEqual([]);
    // Started as the AI's open conversation; the state it read corrects that in Temporal too.
    const { searchAttributes } = await handle.describe();
    expect(searchAttributes).toMatchObject({ ConversationOwner: ['human'], ConversationStatus: ['open'] });
  });

  it("answers a conversation's first message in a run that asks no patch and upserts nothing first", async () => {
    const ws = await h.signup('versioned');
    const v = await h.visitor(ws.tenant.widgetKey);
    const sent = await h.call('POST', '/v1/widget/messages', { content: 'How long does delivery take?', clientMessageId: randomUUID() }, v.sessionToken);
    const handle = h.temporal.workflow.getHandle(conversationWorkflowId(ws.tenant.id, sent.body.conversationId));
    await eventually(async () => (await handle.query(stateQuery)).handled === 1, 'first reply');
    const { events } = await handle.fetchHistory();
    // EventType numbers (temporal.api.enums.v1): started, signalled, the first workflow task, then
    // straight on to the answer.
    const [STARTED, SIGNALED, TASK_SCHEDULED, TASK_STARTED, TASK_COMPLETED, ACTIVITY_SCHEDULED] = [1, 26, 5, 6, 7, 10];
    expect(events!.slice(0, 6).map((e) => e.eventType)).toEqual([STARTED, SIGNALED, TASK_SCHEDULED, TASK_STARTED, TASK_COMPLETED, ACTIVITY_SCHEDULED]);
    expect(events![5].activityTaskScheduledEventAttributes?.activityType?.name).toBe('answerInbound');
    expect(events!.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toBe(false);
    expect(events!.some((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toBe(false);
    const { searchAttributes } = await handle.describe();
    expect(searchAttributes).toMatchObject({ TenantId: [ws.tenant.id], ConversationOwner: ['ai'], ConversationStatus: ['open'] });
  });

  it('keeps a conversation snoozed until the customer replies open past the idle timeout', async () => {
    const c = await startConversation('snooze-reply', 1000);
    await c.handle.executeUpdate(snooze, { args: [{ userId: c.ws.user.id, until: null }] });
    await new Promise((r) => setTimeout(r, 2500));
    expect((await c.row()).status).toBe('snoozed');
    expect(await actions(c.id)).not.toContain('conversation.auto_closed');
    await c.say('back again');
    await eventually(async () => (await actions(c.id)).includes('conversation.reopened'), 'woken by the reply');
  });

  it('rejects invalid updates in the validator, without touching history', async () => {
    const c = await startConversation('validate', 60_000);
    await expect(c.handle.executeUpdate(snooze, { args: [{ userId: c.ws.user.id, until: 'soon' }] })).rejects.toThrow();
    await expect(c.handle.executeUpdate(takeOver, { args: [{ userId: '' }] })).rejects.toThrow();
    expect((await c.handle.query(stateQuery)).status).toBe('open');
  });

  it('never sends an AI reply composed before an agent took over', async () => {
    const c = await startConversation('race', 60_000);
    await c.say('what are your opening hours?');
    // The responder is thinking (400 ms); the agent takes over meanwhile.
    await eventually(async () => (await c.handle.describe()).raw.pendingActivities?.some((a) => a.activityType?.name === 'answerInbound'), 'AI thinking');
    await c.handle.executeUpdate(takeOver, { args: [{ userId: c.ws.user.id }] });
    const ai = await eventually(async () => {
      const rows = await h.db.select().from(messages).where(and(eq(messages.conversationId, c.id), eq(messages.authorRole, 'ai')));
      return rows.length === 1 && rows[0].deliveryStatus !== 'queued' && rows;
    }, 'AI reply settled');
    expect(ai[0].deliveryStatus).toBe('discarded');
    const history = await h.call('GET', '/v1/widget/messages', undefined, c.v.sessionToken);
    expect(history.body.messages.map((m: any) => m.authorRole)).toEqual(['customer']);
  });

  it('continues as new when the server suggests it, carrying owner, assignee and counters', async () => {
    const c = await startConversation('can', 60_000);
    await c.handle.executeUpdate(takeOver, { args: [{ userId: c.ws.user.id }] });
    // With the test server's low threshold, a few dozen messages cross several runs; messages that
    // arrive together share a workflow task, so send enough to cross it however they are batched.
    for (let i = 0; i < 40; i++) await c.say(`message ${i}`);
    const state = await eventually(async () => {
      const s = await h.temporal.workflow.getHandle(c.handle.workflowId).query(stateQuery);
      return s.handled === 40 && s;
    }, 'all handled', 30_000);
    expect(state).toMatchObject({ owner: 'human', assigneeId: c.ws.user.id, status: 'open' });
    const desc = await h.temporal.workflow.getHandle(c.handle.workflowId).describe();
    expect(desc.runId).not.toBe(c.handle.firstExecutionRunId);
    const inbound = await h.db.select().from(messages).where(and(eq(messages.conversationId, c.id), eq(messages.direction, 'inbound')));
    expect(inbound).toHaveLength(40);
  });
});

describe('a model thinking', () => {
  it('still discards a reply when an agent takes over while the model thinks', async () => {
    const fake = await startFakeOpenAi('sk-race', { latencyMs: 1500 });
    try {
      const c = await startConversation('model-race', 60_000);
      expect((await h.call('POST', '/v1/agent/providers', { kind: 'openai', apiKey: 'sk-race', baseUrl: `${fake.url}/v1`, model: 'echo' }, c.ws.accessToken)).status).toBe(201);
      await c.say('what are your opening hours?');
      await eventually(async () => fake.received > 0, 'model asked');
      await c.handle.executeUpdate(takeOver, { args: [{ userId: c.ws.user.id }] });
      const ai = await eventually(async () => {
        const rows = await h.db.select().from(messages).where(and(eq(messages.conversationId, c.id), eq(messages.authorRole, 'ai')));
        return rows.length === 1 && rows[0].deliveryStatus !== 'queued' && rows;
      }, 'AI reply settled');
      expect(ai[0].deliveryStatus).toBe('discarded');
    } finally {
      await fake.close();
    }
  });
});
