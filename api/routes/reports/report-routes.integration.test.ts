import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { withTenant } from '../../../db/client.js';
import { contacts, conversations, messages, tickets } from '../../../db/schema/index.js';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

const at = (iso: string) => new Date(iso);

/**
 * A workspace in Amsterdam with a known history: three conversations on 2 and 3 March (one the AI
 * resolved, one a person answered and resolved, one still open), two tickets, and a pipeline.
 */
async function history(label: string) {
  const ws = await h.signup(label);
  const tenantId = ws.tenant.id;
  await h.call('PATCH', '/v1/workspace', { timezone: 'Europe/Amsterdam' }, ws.accessToken);
  await withTenant(h.db, tenantId, async (tx) => {
    const [c] = await tx.insert(contacts).values({ tenantId, name: 'Ada' }).returning();
    const conv = async (channel: string, createdAt: string, status: 'open' | 'resolved', owner: 'ai' | 'human') =>
      (await tx.insert(conversations).values({ tenantId, contactId: c.id, channel, status, owner, createdAt: at(createdAt) }).returning())[0].id;
    const say = (conversationId: string, authorRole: 'customer' | 'ai' | 'agent', createdAt: string) =>
      tx.insert(messages).values({ tenantId, conversationId, direction: authorRole === 'customer' ? 'inbound' : 'outbound', authorRole, channel: 'widget', content: 'x', deliveryStatus: authorRole === 'customer' ? 'received' : 'sent', createdAt: at(createdAt) });
    // 00:30 in Amsterdam on 3 March is still 2 March in UTC: it counts on the 3rd.
    const byAi = await conv('widget', '2026-03-02T09:00:00Z', 'resolved', 'ai');
    await say(byAi, 'customer', '2026-03-02T09:00:00Z');
    await say(byAi, 'ai', '2026-03-02T09:00:10Z');
    const byHuman = await conv('whatsapp', '2026-03-02T23:30:00Z', 'resolved', 'ai');
    await say(byHuman, 'customer', '2026-03-02T23:30:00Z');
    await say(byHuman, 'ai', '2026-03-02T23:30:30Z');
    await say(byHuman, 'agent', '2026-03-02T23:40:00Z');
    const open = await conv('whatsapp', '2026-03-03T10:00:00Z', 'open', 'human');
    await say(open, 'customer', '2026-03-03T10:00:00Z');
    await tx.insert(tickets).values([
      { tenantId, source: 'manual', subject: 'A', priority: 'high', status: 'resolved', createdAt: at('2026-03-02T10:00:00Z'), firstRespondedAt: at('2026-03-02T10:20:00Z'), resolvedAt: at('2026-03-02T12:00:00Z'), firstResponseBreachedAt: at('2026-03-02T10:15:00Z') },
      { tenantId, source: 'manual', subject: 'B', priority: 'normal', status: 'open', createdAt: at('2026-03-03T10:00:00Z'), firstRespondedAt: at('2026-03-03T10:40:00Z') },
    ]);
  });
  const made = await h.call('POST', '/v1/pipelines', { name: 'Sales', stages: [{ name: 'New' }, { name: 'Won', kind: 'won' }, { name: 'Lost', kind: 'lost' }] }, ws.accessToken);
  const stage = (name: string) => (made.body.pipeline.stages as Array<{ id: string; name: string }>).find((s) => s.name === name)!.id;
  const [contact] = await withTenant(h.db, tenantId, (tx) => tx.insert(contacts).values({ tenantId, name: 'Bo' }).returning());
  const lead = async (value: number) => (await h.call('POST', '/v1/leads', { pipelineId: made.body.pipeline.id, contactId: contact.id, title: `Deal ${value}`, value }, ws.accessToken)).body.lead.id as string;
  await lead(100);
  await lead(250);
  const won = await lead(1000);
  const moved = await h.call('POST', `/v1/leads/${won}/move`, { stageId: stage('Won') }, ws.accessToken);
  expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  return { ws, stage };
}

describe('reports', () => {
  it("sums a window's conversations, AI resolutions, response times, SLA breaches and deals, by day in the workspace's zone", async () => {
    const { ws, stage } = await history('reports');
    const r = await h.call('GET', '/v1/reports?from=2026-03-01&to=2026-03-04', undefined, ws.accessToken);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.window).toEqual({ from: '2026-03-01', to: '2026-03-04', interval: 'day', timeZone: 'Europe/Amsterdam' });
    expect(r.body.conversationsByChannel).toEqual([
      { bucket: '2026-03-02', channel: 'widget', count: 1 },
      { bucket: '2026-03-03', channel: 'whatsapp', count: 2 },
    ]);
    expect(r.body.aiResolution).toEqual({ conversations: 3, resolved: 2, resolvedByAi: 1, share: 0.5 });
    // First answers after 10 s and 30 s; the one person's after 10 minutes.
    expect(r.body.firstResponse).toEqual({ medianSeconds: 20, humanMedianSeconds: 600, answered: 2 });
    expect(r.body.tickets).toEqual({ firstResponseMedianSeconds: 1800, resolutionMedianSeconds: 7200, resolved: 1 });
    expect(r.body.slaBreaches).toEqual(
      expect.arrayContaining([
        { priority: 'high', tickets: 1, firstResponse: 1, resolution: 0 },
        { priority: 'normal', tickets: 1, firstResponse: 0, resolution: 0 },
      ]),
    );
    const value = (name: string) => r.body.pipelineValue.filter((s: { stage: string }) => s.stage === name).reduce((sum: number, s: { value: number }) => sum + s.value, 0);
    expect([value('New'), value('Won'), value('Lost')]).toEqual([350, 1000, 0]);
    expect(r.body.pipelineValue.find((s: { stageId: string }) => s.stageId === stage('Won'))).toMatchObject({ leads: 1, kind: 'won', currency: 'EUR' });

    // Leads won today (the move above), by week.
    const now = await h.call('GET', '/v1/reports?interval=week', undefined, ws.accessToken);
    expect(now.status).toBe(200);
    expect(now.body.leadOutcomes).toEqual([{ bucket: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), kind: 'won', leads: 1 }]);
    expect(now.body.conversationsByChannel).toEqual([]);
    expect(now.body.aiResolution.share).toBeNull();
  });

  it('refuses bad windows with the field named, agents, and shows another workspace nothing of this one', async () => {
    const { ws } = await history('reports-guards');
    for (const [query, field] of [
      ['from=2026-03-05&to=2026-03-01', 'from'],
      ['from=2024-01-01&to=2026-03-01', 'from'],
      ['from=2026-02-30', 'from'],
      ['to=yesterday', 'to'],
      ['interval=hour', 'interval'],
    ]) {
      const r = await h.call('GET', `/v1/reports?${query}`, undefined, ws.accessToken);
      expect(r.status, query).toBe(400);
      expect(r.body.error.fields.map((f: { field: string }) => f.field), query).toContain(field);
    }
    const inv = await h.call('POST', '/v1/invitations', { email: `agent-${randomUUID().slice(0, 8)}@example.com`, role: 'agent' }, ws.accessToken);
    const agent = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Al', password: 'a long password' });
    expect((await h.call('GET', '/v1/reports', undefined, agent.body.accessToken)).status).toBe(403);
    expect((await h.call('GET', '/v1/reports')).status).toBe(401);

    const other = await h.signup('reports-other');
    const theirs = await h.call('GET', '/v1/reports?from=2026-03-01&to=2026-03-04', undefined, other.accessToken);
    expect(theirs.body.conversationsByChannel).toEqual([]);
    expect(theirs.body.aiResolution).toEqual({ conversations: 0, resolved: 0, resolvedByAi: 0, share: null });
    expect(theirs.body.pipelineValue).toEqual([]);
    expect(theirs.body.slaBreaches).toEqual([]);
  });
});
