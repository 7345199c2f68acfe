import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { auditLog, llmProviders, messages } from '../../../db/schema/index.js';
import { startFakeOpenAi, type FakeOpenAi } from '../../../scripts/testing/fake-openai-server.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';

const KEY = 'sk-local-test-key-9876';
let h: Harness;
let fake: FakeOpenAi;
beforeAll(async () => {
  [h, fake] = await Promise.all([startHarness(), startFakeOpenAi(KEY)]);
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

async function workspaceWithProvider(label: string, apiKey: string) {
  const ws = await h.signup(label);
  await h.call('POST', '/v1/knowledge/documents', { title: 'Shipping', content: '- Express delivery costs €9.95.' }, ws.accessToken);
  const added = await h.call('POST', '/v1/agent/providers', { kind: 'openai', apiKey, baseUrl: `${fake.url}/v1`, model: 'echo' }, ws.accessToken);
  return { ws, added };
}

describe('LLM providers per workspace', () => {
  it('stores the key sealed, and the agent answers through the provider with sources and token usage', async () => {
    const { ws, added } = await workspaceWithProvider('llm', KEY);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ kind: 'openai', model: 'echo', apiKeyHint: '…9876', priority: 1 });
    expect(JSON.stringify(added.body)).not.toContain(KEY);
    const [row] = await h.db.select().from(llmProviders).where(eq(llmProviders.id, added.body.id));
    expect(row.sealedApiKey).not.toContain(KEY);

    const v = await h.visitor(ws.tenant.widgetKey);
    const sent = await h.call('POST', '/v1/widget/messages', { content: 'What does express delivery cost?', clientMessageId: randomUUID() }, v.sessionToken);
    const reply = await eventually(async () => {
      const rows = await h.db.select().from(messages).where(and(eq(messages.inReplyTo, sent.body.messageId), eq(messages.authorRole, 'ai')));
      return rows[0]?.deliveryStatus === 'sent' && rows[0];
    }, 'LLM reply');
    expect(reply.content).toBe('echo: What does express delivery cost?');
    expect(reply.attributes).toMatchObject({ route: 'knowledge', provider: 'openai', model: 'echo', usage: { completionTokens: 7 } });
    expect(reply.citations?.[0].title).toBe('Shipping');

    // The model 'echo' has no list price: tokens are counted, cost is flagged as unknown.
    const usage = await h.call('GET', `/v1/agent/usage?conversationId=${sent.body.conversationId}`, undefined, ws.accessToken);
    expect(usage.body.total).toMatchObject({ replies: 1, completionTokens: 7, costUsd: 0, unpricedReplies: 1 });
    expect(usage.body.conversations[0].conversationId).toBe(sent.body.conversationId);
    const other = await h.signup('llm-usage-other');
    expect((await h.call('GET', '/v1/agent/usage', undefined, other.accessToken)).body.total.replies).toBe(0);
    expect((await h.call('GET', '/v1/agent/usage?conversationId=nope', undefined, ws.accessToken)).body.error.fields[0].field).toBe('conversationId');
  });

  it('hands the conversation to a human when the provider rejects the key, without retrying it', async () => {
    const { ws } = await workspaceWithProvider('llm-badkey', 'sk-not-the-right-key');
    const v = await h.visitor(ws.tenant.widgetKey);
    const sent = await h.call('POST', '/v1/widget/messages', { content: 'What does express delivery cost?', clientMessageId: randomUUID() }, v.sessionToken);
    await eventually(async () => (await h.call('GET', `/v1/conversations/${sent.body.conversationId}`, undefined, ws.accessToken)).body.conversation.owner === 'human', 'handed to a human');
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.targetId, sent.body.conversationId));
    expect(audit.map((a) => a.action)).toContain('conversation.ai_failed');
    // One attempt only: neither the SDK nor Temporal retries a rejected key.
    expect(fake.unauthorized.filter((k) => k === 'sk-not-the-right-key')).toHaveLength(1);
  });

  it('validates input, and keeps providers to their workspace', async () => {
    const { ws, added } = await workspaceWithProvider('llm-iso', KEY);
    const bad = await h.call('POST', '/v1/agent/providers', { kind: 'anthropic', apiKey: '', baseUrl: 'not a url' }, ws.accessToken);
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.error.fields.map((f: any) => f.field))].sort()).toEqual(['apiKey', 'baseUrl', 'kind']);
    const fileUrl = await h.call('POST', '/v1/agent/providers', { kind: 'openai', apiKey: 'k', baseUrl: 'file:///etc/passwd' }, ws.accessToken);
    expect(fileUrl.body.error.fields[0]).toMatchObject({ field: 'baseUrl', message: 'must be an http or https URL' });
    const other = await h.signup('llm-other');
    expect((await h.call('GET', '/v1/agent/providers', undefined, other.accessToken)).body.providers).toEqual([]);
    expect((await h.call('DELETE', `/v1/agent/providers/${added.body.id}`, undefined, other.accessToken)).status).toBe(404);
    expect((await h.call('DELETE', `/v1/agent/providers/${added.body.id}`, undefined, ws.accessToken)).status).toBe(204);
  });
});
