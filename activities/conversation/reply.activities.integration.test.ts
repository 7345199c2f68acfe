import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { contacts, conversations, messages } from '../../db/schema/index.js';
import { eventually, startHarness, type Harness } from '../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const SHIPPING = '# Shipping and delivery\n\n- Standard delivery in the Netherlands takes 1–2 business days and costs €4.95.\n- Express delivery (next business day, order before 14:00) costs €9.95.';

async function ask(label: string, question: string) {
  const ws = await h.signup(label);
  await h.call('POST', '/v1/knowledge/documents', { title: 'Shipping and delivery', content: SHIPPING }, ws.accessToken);
  const v = await h.visitor(ws.tenant.widgetKey);
  const sent = await h.call('POST', '/v1/widget/messages', { content: question, clientMessageId: randomUUID() }, v.sessionToken);
  const conversationId = sent.body.conversationId as string;
  const rows = () => h.db.select().from(messages).where(eq(messages.conversationId, conversationId));
  return { ws, conversationId, rows, inboundId: sent.body.messageId as string };
}

describe('the local AI agent in the conversation', () => {
  it('answers from the knowledge base, cites the article and records the triage', async () => {
    const c = await ask('kb-answer', 'How much does express delivery cost?');
    const reply = await eventually(async () => (await c.rows()).find((m) => m.authorRole === 'ai' && m.deliveryStatus === 'sent'), 'AI reply');
    expect(reply.content).toContain('€9.95');
    expect(reply.citations?.[0].title).toBe('Shipping and delivery');
    const [inbound] = await h.db.select().from(messages).where(eq(messages.id, c.inboundId));
    expect(inbound.attributes).toMatchObject({ intent: 'shipping_question', route: 'knowledge' });
  });

  it('says it does not know rather than guessing, and hands urgent threats to a human', async () => {
    const unknown = await ask('kb-unknown', 'Can I bring my dog to the Utrecht store?');
    const reply = await eventually(async () => (await unknown.rows()).find((m) => m.authorRole === 'ai' && m.deliveryStatus === 'sent'), 'AI reply');
    expect(reply.content).toMatch(/couldn't find that/);
    expect(reply.citations).toEqual([]);

    const angry = await ask('kb-angry', 'This is the third time my order is late. Refund me today or I file a chargeback with my bank!');
    await eventually(async () => {
      const r = await h.call('GET', `/v1/conversations/${angry.conversationId}`, undefined, angry.ws.accessToken);
      return r.body.conversation.owner === 'human';
    }, 'handoff');
    const ai = (await angry.rows()).filter((m) => m.authorRole === 'ai');
    expect(ai).toHaveLength(1);
    expect(ai[0].content).toMatch(/teammate/);
    const [inbound] = await h.db.select().from(messages).where(and(eq(messages.id, angry.inboundId)));
    expect(inbound.attributes).toMatchObject({ priority: 'high', escalate: true });
  });

  it('applies the active configuration: a tenant escalation rule and an input guardrail', async () => {
    const ws = await h.signup('kb-config');
    const config = {
      escalation: [{ id: 'refunds', any: [{ attribute: 'intent', op: 'eq', value: 'return_refund' }], team: 'billing', holdingMessage: 'Our billing team will reply shortly.' }],
      guardrails: [{ id: 'abuse', stage: 'input', kind: 'keyword', keywords: ['idiot'], action: 'block', reply: 'Let us keep it friendly, please.' }],
    };
    await h.call('POST', '/v1/agent/versions', config, ws.accessToken);
    await h.call('POST', '/v1/agent/versions/1/activate', {}, ws.accessToken);

    const v = await h.visitor(ws.tenant.widgetKey);
    const blocked = await h.call('POST', '/v1/widget/messages', { content: 'you idiot', clientMessageId: randomUUID() }, v.sessionToken);
    const reply = await eventually(async () => {
      const rows = await h.db.select().from(messages).where(and(eq(messages.conversationId, blocked.body.conversationId), eq(messages.authorRole, 'ai')));
      return rows.find((m) => m.deliveryStatus === 'sent');
    }, 'guardrail reply');
    expect(reply.content).toBe('Let us keep it friendly, please.');

    const refund = await h.call('POST', '/v1/widget/messages', { content: 'How do I get a refund for my jacket?', clientMessageId: randomUUID() }, v.sessionToken);
    await eventually(async () => (await h.call('GET', `/v1/conversations/${refund.body.conversationId}`, undefined, ws.accessToken)).body.conversation.owner === 'human', 'escalated');
    const [inbound] = await h.db.select().from(messages).where(eq(messages.id, refund.body.messageId));
    expect(inbound.attributes).toMatchObject({ route: 'escalation', escalation: { ruleId: 'refunds', team: 'billing' }, agentConfigVersion: 1 });
    const holding = await eventually(async () => {
      const rows = await h.db.select().from(messages).where(and(eq(messages.inReplyTo, refund.body.messageId), eq(messages.authorRole, 'ai')));
      return rows[0]?.deliveryStatus === 'sent' && rows[0];
    }, 'holding message');
    expect(holding.content).toBe('Our billing team will reply shortly.');
  });

  it('files a job application on the contact and asks only for what is missing', async () => {
    const c = await ask('kb-jobs', "Hi, I'd like to apply for the store assistant job in Utrecht. I'm Sara, available weekends, 06 12345678");
    const reply = await eventually(async () => (await c.rows()).find((m) => m.authorRole === 'ai' && m.deliveryStatus === 'sent'), 'AI reply');
    expect(reply.content).toMatch(/^Thanks, Sara/);
    expect(reply.content).toMatch(/received your application for the store assistant role/);
    const [conv] = await h.db.select().from(conversations).where(eq(conversations.id, c.conversationId));
    const [contact] = await h.db.select().from(contacts).where(eq(contacts.id, conv.contactId));
    expect(contact).toMatchObject({ name: 'Sara', phone: '06 12345678' });
    expect(contact.attributes).toMatchObject({ candidate: { role: 'store assistant', appliedVia: 'widget' } });
  });
});
