import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { automationRunSteps, automationRuns, contacts, conversations, messages } from '../../db/schema/index.js';
import { eventually, startHarness, type Harness } from '../../scripts/testing/harness.js';
import { edge, node, publishAutomation } from '../../scripts/testing/automation-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function customer(label: string) {
  const ws = await h.signup(label);
  const v = await h.visitor(ws.tenant.widgetKey, { name: 'Sam' });
  const say = async (text: string, clientMessageId = randomUUID()) => {
    const r = await h.call('POST', '/v1/widget/messages', { content: text, clientMessageId }, v.sessionToken);
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body.messageId as string;
  };
  return { ws, tenantId: ws.tenant.id, contactId: v.contactId, say };
}

const routingOf = async (messageId: string) => (await h.db.select({ routing: messages.routing }).from(messages).where(eq(messages.id, messageId)))[0]?.routing;
const aiReplyTo = async (messageId: string) => (await h.db.select().from(messages).where(and(eq(messages.inReplyTo, messageId), eq(messages.authorRole, 'ai'))))[0];
const runsOf = (automationId: string) => h.db.select().from(automationRuns).where(eq(automationRuns.automationId, automationId)).orderBy(asc(automationRuns.createdAt));
const stepsOf = (runId: string) => h.db.select().from(automationRunSteps).where(eq(automationRunSteps.runId, runId)).orderBy(asc(automationRunSteps.seq));

describe('routing inbound messages', () => {
  it('gives a matching message to the automation, the reply it waits for to the same run, and the rest to the AI', async () => {
    const c = await customer('route');
    const a = await publishAutomation(h.db, c.tenantId, {
      nodes: [
        node('start', 'trigger.message_received', { channels: ['widget'], keywords: ['price'] }),
        node('ask', 'action.send_message', { channel: 'widget', text: 'Which colour, {{contact.name}}?' }),
        node('wait', 'logic.wait_for_reply', { timeoutSeconds: 60 }),
        node('tag', 'action.tag', { add: ['colour:{{nodes.wait.output.message.text}}'] }),
      ],
      edges: [edge('start', 'ask'), edge('ask', 'wait'), edge('wait', 'tag')],
    });

    const asked = await c.say('What is the PRICE of the jacket?');
    const [run] = await eventually(async () => {
      const runs = await runsOf(a.automationId);
      return runs[0]?.waitingFor === 'reply' && runs;
    }, 'the run to wait for a reply');
    expect(await routingOf(asked)).toEqual({ to: 'automation', runIds: [run.id] });
    expect(run).toMatchObject({ triggerType: 'trigger.message_received', eventKey: `message:${asked}`, trigger: { message: { id: asked, channel: 'widget', text: 'What is the PRICE of the jacket?' } } });
    // The automation spoke; the AI did not talk over it.
    const [question] = await h.db.select().from(messages).where(and(eq(messages.conversationId, run.conversationId!), eq(messages.authorRole, 'system')));
    expect(question.content).toBe('Which colour, Sam?');
    expect(await aiReplyTo(asked)).toBeUndefined();
    // Agents see the decision on the message, and which step spoke.
    const listed = await h.call('GET', `/v1/conversations/${run.conversationId}/messages`, undefined, c.ws.accessToken);
    expect(listed.body.messages.find((m: { id: string }) => m.id === asked).routing).toEqual({ to: 'automation', runIds: [run.id] });
    expect(listed.body.messages.find((m: { id: string }) => m.id === question.id).automation).toEqual({ runId: run.id, nodeId: 'ask' });

    const answer = await c.say('blue');
    await eventually(async () => (await runsOf(a.automationId))[0].status === 'succeeded', 'the run to finish with the reply');
    expect(await routingOf(answer)).toEqual({ to: 'automation', runIds: [], resumedRunIds: [run.id] });
    expect((await h.db.select().from(contacts).where(eq(contacts.id, c.contactId)))[0].tags).toEqual(['colour:blue']);
    expect((await stepsOf(run.id)).map((s) => [s.nodeId, s.branch])).toEqual([['start', 'next'], ['ask', 'next'], ['wait', 'next'], ['tag', 'next']]);

    // Nothing matches and no run waits: the AI answers, and the routing says so.
    const hello = await c.say('Do you ship to Belgium?');
    await eventually(() => aiReplyTo(hello), 'the AI to answer');
    expect(await routingOf(hello)).toEqual({ to: 'ai' });
    expect(await runsOf(a.automationId)).toHaveLength(1);
    expect(await aiReplyTo(answer)).toBeUndefined();
  });

  it('hands the conversation back to the usual order when a wait times out', async () => {
    const c = await customer('timeout');
    const a = await publishAutomation(h.db, c.tenantId, {
      nodes: [
        node('start', 'trigger.message_received', { keywords: ['quote'] }),
        node('wait', 'logic.wait_for_reply', { timeoutSeconds: 1 }),
        node('nudge', 'action.tag', { add: ['no-answer'] }),
      ],
      edges: [edge('start', 'wait'), edge('wait', 'nudge', 'timeout')],
    });
    await c.say('Can I get a quote?');
    await eventually(async () => (await runsOf(a.automationId))[0]?.status === 'succeeded', 'the wait to time out', 20_000);
    const [run] = await runsOf(a.automationId);
    expect((await stepsOf(run.id)).find((s) => s.nodeId === 'wait')).toMatchObject({ branch: 'timeout' });
    const later = await c.say('Anyone there?');
    await eventually(() => aiReplyTo(later), 'the AI to answer after the wait ended');
    expect(await routingOf(later)).toEqual({ to: 'ai' });
  });

  it('filters on intent, runs once for a message delivered three times, and records a human-owned route', async () => {
    const c = await customer('intent');
    const a = await publishAutomation(h.db, c.tenantId, {
      nodes: [node('start', 'trigger.message_received', { intents: ['order_status'] }), node('tag', 'action.tag', { add: ['wants-order-status'] })],
      edges: [edge('start', 'tag')],
    });
    const clientMessageId = randomUUID();
    const ids = await Promise.all([1, 2, 3].map(() => c.say('Where is my order #4411? It has not arrived yet', clientMessageId)));
    expect(new Set(ids).size).toBe(1);
    await eventually(async () => (await runsOf(a.automationId))[0]?.status === 'succeeded', 'the intent-filtered run');
    expect(await runsOf(a.automationId)).toHaveLength(1);
    expect((await runsOf(a.automationId))[0].trigger).toMatchObject({ message: { intent: 'order_status' } });

    // A human owns the conversation and nothing matches: it waits for them.
    const [conv] = await h.db.select().from(conversations).where(eq(conversations.contactId, c.contactId));
    await h.db.update(conversations).set({ owner: 'human' }).where(eq(conversations.id, conv.id));
    await h.temporal.workflow.getHandle(`conversation:${c.tenantId}:${conv.id}`).terminate('reload state for the test');
    const other = await c.say('thanks, bye');
    await eventually(async () => (await routingOf(other))?.to, 'the message to be routed');
    expect(await routingOf(other)).toEqual({ to: 'human' });
    expect(await runsOf(a.automationId)).toHaveLength(1);
  });
});
