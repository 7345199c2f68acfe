import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { and, asc, eq } from 'drizzle-orm';
import {
  automationRunSteps,
  automationRuns,
  contacts,
  conversations,
  leads,
  leadStageChanges,
  messages,
  pipelineStages,
  pipelines,
  teamMembers,
  teams,
  tickets,
} from '../db/schema/index.js';
import { startAutomationRun } from '../temporal/automation-starter.js';
import { eventually, startHarness, type Harness } from '../scripts/testing/harness.js';
import { edge, node, publishAutomation } from '../scripts/testing/automation-fixtures.js';
import { approve, automationRunState, MAX_STEPS } from './automation-run.workflow.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** A workspace with a widget contact and its conversation. */
async function workspace(label: string) {
  const ws = await h.signup(label);
  const v = await h.visitor(ws.tenant.widgetKey, { name: 'Dana', email: `dana-${randomUUID().slice(0, 6)}@example.com` });
  const [conv] = await h.db.insert(conversations).values({ tenantId: ws.tenant.id, contactId: v.contactId, channel: 'widget' }).returning();
  return { ws, tenantId: ws.tenant.id, contactId: v.contactId, conversationId: conv.id, visitor: v };
}

type Ws = Awaited<ReturnType<typeof workspace>>;

/** Publishes a graph and runs it once for `eventKey`, with the workspace's contact and conversation. */
async function run(w: Ws, graph: { nodes: unknown[]; edges: unknown[] }, trigger: Record<string, unknown> = {}, eventKey = `test-event:${randomUUID()}`) {
  const a = await publishAutomation(h.db, w.tenantId, graph);
  const started = await startAutomationRun(h.db, h.temporal, h.taskQueue, {
    tenantId: w.tenantId, automationId: a.automationId, versionId: a.versionId, eventKey,
    triggerType: (graph.nodes[0] as { type: string }).type, trigger, conversationId: w.conversationId, contactId: w.contactId,
  });
  return { ...a, ...started, handle: h.temporal.workflow.getHandle(started.workflowId) };
}

const steps = (runId: string) => h.db.select().from(automationRunSteps).where(eq(automationRunSteps.runId, runId)).orderBy(asc(automationRunSteps.seq));
const runRow = async (runId: string) => (await h.db.select().from(automationRuns).where(eq(automationRuns.id, runId)))[0];
const contactRow = async (id: string) => (await h.db.select().from(contacts).where(eq(contacts.id, id)))[0];

describe('automation interpreter', () => {
  it('walks if/else and switch in workflow code, runs actions as activities, and records every step', async () => {
    const w = await workspace('walk');
    await h.db.update(contacts).set({ attributes: { tier: 'gold' } }).where(eq(contacts.id, w.contactId));
    const graph = {
      nodes: [
        node('start', 'trigger.webhook'),
        node('is_pro', 'logic.if', { condition: { all: [{ left: '{{trigger.body.plan}}', op: 'equals', right: 'pro' }, { left: '{{contact.name}}', op: 'exists' }] } }),
        node('tag_pro', 'action.tag', { add: ['pro', 'plan-{{trigger.body.plan}}'] }),
        node('tier', 'logic.switch', { value: '{{contact.attributes.tier}}', cases: [{ key: 'gold', equals: 'gold' }, { key: 'silver', equals: 'silver' }] }),
        node('note_gold', 'action.update_contact', { attributes: { seen_by: 'automation', tags_now: '{{nodes.tag_pro.output.tags}}' } }),
        node('ticket', 'action.create_ticket', { subject: 'Not pro: {{trigger.body.plan}}', priority: 'high' }),
        node('end', 'logic.stop'),
      ],
      edges: [edge('start', 'is_pro'), edge('is_pro', 'tag_pro', 'yes'), edge('is_pro', 'ticket', 'no'), edge('tag_pro', 'tier'), edge('tier', 'note_gold', 'gold'), edge('tier', 'end', 'default')],
    };
    const r = await run(w, graph, { body: { plan: 'pro' } });
    const view = await r.handle.result();
    expect(view).toMatchObject({ status: 'succeeded', nodeId: 'note_gold', steps: 5 });
    const recorded = await steps(r.runId);
    expect(recorded.map((s) => [s.nodeId, s.status, s.branch])).toEqual([
      ['start', 'succeeded', 'next'],
      ['is_pro', 'succeeded', 'yes'],
      ['tag_pro', 'succeeded', 'next'],
      ['tier', 'succeeded', 'gold'],
      ['note_gold', 'succeeded', 'next'],
    ]);
    // The step's input is the rendered config; later steps read earlier outputs.
    expect(recorded[2].input).toEqual({ add: ['pro', 'plan-pro'], remove: [] });
    const contact = await contactRow(w.contactId);
    expect(contact.tags).toEqual(['plan-pro', 'pro']);
    expect(contact.attributes).toMatchObject({ tier: 'gold', seen_by: 'automation', tags_now: ['plan-pro', 'pro'] });
    expect(await runRow(r.runId)).toMatchObject({ status: 'succeeded', steps: 5, temporalRunId: expect.any(String) });
    expect((await runRow(r.runId)).finishedAt).toBeInstanceOf(Date);

    // The other branch, in a run of its own.
    const other = await run(w, graph, { body: { plan: 'free' } });
    await other.handle.result();
    expect((await steps(other.runId)).map((s) => s.nodeId)).toEqual(['start', 'is_pro', 'ticket']);
    const [ticket] = await h.db.select().from(tickets).where(eq(tickets.id, ((await steps(other.runId))[2].output as { ticketId: string }).ticketId));
    expect(ticket).toMatchObject({ subject: 'Not pro: free', priority: 'high', source: 'automation', contactId: w.contactId });
  });

  it('runs one trigger event once, however often it is delivered', async () => {
    const w = await workspace('once');
    const [p] = await h.db.insert(pipelines).values({ tenantId: w.tenantId, name: 'Sales' }).returning();
    await h.db.insert(pipelineStages).values([
      { tenantId: w.tenantId, pipelineId: p.id, name: 'New', position: 0 },
      { tenantId: w.tenantId, pipelineId: p.id, name: 'Won', position: 1, kind: 'won' },
    ]);
    const graph = { nodes: [node('start', 'trigger.webhook'), node('lead', 'action.create_lead', { pipelineId: p.id, title: 'Deal for {{contact.name}}', value: 120 })], edges: [edge('start', 'lead')] };
    const a = await publishAutomation(h.db, w.tenantId, graph);
    const deliver = () =>
      startAutomationRun(h.db, h.temporal, h.taskQueue, {
        tenantId: w.tenantId, automationId: a.automationId, versionId: a.versionId, eventKey: 'webhook:same-delivery', triggerType: 'trigger.webhook', trigger: {}, contactId: w.contactId,
      });
    const first = await deliver();
    const again = await Promise.all([deliver(), deliver()]);
    expect(first.created).toBe(true);
    expect(again.every((x) => x.runId === first.runId && !x.created)).toBe(true);
    await h.temporal.workflow.getHandle(first.workflowId).result();
    // And once more after it finished.
    await deliver();
    const runs = await h.db.select().from(automationRuns).where(eq(automationRuns.automationId, a.automationId));
    expect(runs).toHaveLength(1);
    const made = await h.db.select().from(leads).where(eq(leads.contactId, w.contactId));
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ title: 'Deal for Dana', value: '120.00', source: 'automation' });
  });

  it('delays by a duration and until a time, each a durable timer', async () => {
    const w = await workspace('delay');
    const until = new Date(Date.now() + 1500).toISOString();
    const graph = {
      nodes: [node('start', 'trigger.webhook'), node('wait', 'logic.delay', { seconds: 1 }), node('until', 'logic.delay', { until: '{{trigger.body.at}}' }), node('tag', 'action.tag', { add: ['later'] })],
      edges: [edge('start', 'wait'), edge('wait', 'until'), edge('until', 'tag')],
    };
    const began = Date.now();
    const r = await run(w, graph, { body: { at: until } });
    await eventually(async () => (await runRow(r.runId)).waitingFor === 'delay', 'the run to show it is waiting on a delay');
    await r.handle.result();
    expect(Date.now() - began).toBeGreaterThanOrEqual(1400);
    const recorded = await steps(r.runId);
    expect(recorded[2].output).toEqual({ until: new Date(Date.parse(until)).toISOString() });
    expect((await contactRow(w.contactId)).tags).toEqual(['later']);
  });

  it('takes the error branch of a failing node, and fails the run visibly without one', async () => {
    const w = await workspace('errors');
    const seen: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];
    let flaky = 1;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, body });
        if (req.url === '/flaky' && flaky-- > 0) return res.writeHead(503).end('busy');
        if (req.url === '/missing') return res.writeHead(404).end('{"error":"nope"}');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, echo: body ? JSON.parse(body) : null }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const handled = {
        nodes: [
          node('start', 'trigger.webhook'),
          node('call', 'action.http_request', { method: 'POST', url: `${base}/flaky`, body: '{"order":"{{trigger.body.order}}"}' }, { retry: { maxAttempts: 3 } }),
          node('missing', 'action.http_request', { method: 'GET', url: `${base}/missing` }),
          node('recover', 'action.tag', { add: ['http-failed'] }),
        ],
        edges: [edge('start', 'call'), edge('call', 'missing'), edge('missing', 'recover', 'error')],
      };
      const r = await run(w, handled, { body: { order: 'A-1' } });
      await r.handle.result();
      const recorded = await steps(r.runId);
      expect(recorded.map((s) => [s.nodeId, s.status, s.branch])).toEqual([
        ['start', 'succeeded', 'next'], ['call', 'succeeded', 'next'], ['missing', 'failed', 'error'], ['recover', 'succeeded', 'next'],
      ]);
      // Retried after the 503 with the same idempotency key; the rendered body went out.
      const calls = seen.filter((s) => s.path === '/flaky');
      expect(calls).toHaveLength(2);
      expect(new Set(calls.map((c) => c.headers['idempotency-key'])).size).toBe(1);
      expect(recorded[1].output).toEqual({ status: 200, body: { ok: true, echo: { order: 'A-1' } } });
      expect(recorded[2].error).toMatch(/answered 404/);
      expect((await contactRow(w.contactId)).tags).toEqual(['http-failed']);

      const unhandled = { nodes: [node('start', 'trigger.webhook'), node('missing', 'action.http_request', { method: 'GET', url: `${base}/missing` })], edges: [edge('start', 'missing')] };
      const failing = await run(w, unhandled);
      await expect(failing.handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      expect(await runRow(failing.runId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^missing: .*404/) });
      expect((await steps(failing.runId)).at(-1)).toMatchObject({ nodeId: 'missing', status: 'failed', branch: 'error' });
    } finally {
      server.close();
    }
  });

  it('waits for a human approval, takes its verdict, and times out to its own branch', async () => {
    const w = await workspace('approval');
    const graph = {
      nodes: [
        node('start', 'trigger.webhook'),
        node('ok', 'logic.approval', { timeoutSeconds: 60 }),
        node('yes', 'action.tag', { add: ['approved-by-{{nodes.ok.output.by}}'] }),
        node('no', 'action.tag', { add: ['rejected'] }),
        node('late', 'action.tag', { add: ['timed-out'] }),
      ],
      edges: [edge('start', 'ok'), edge('ok', 'yes'), edge('ok', 'no', 'rejected'), edge('ok', 'late', 'timeout')],
    };
    const r = await run(w, graph);
    await eventually(async () => (await runRow(r.runId)).waitingFor === 'approval', 'the run to wait for an approval');
    expect(await runRow(r.runId)).toMatchObject({ status: 'waiting', waitingNodeId: 'ok' });
    expect(await r.handle.query(automationRunState)).toMatchObject({ status: 'waiting', waitingFor: 'approval', nodeId: 'ok' });
    // A verdict for a step the run is not at is refused.
    const refused = await r.handle.executeUpdate(approve, { args: [{ nodeId: 'yes', approve: true, userId: 'u1' }] }).catch((err: Error) => err);
    expect((refused as Error & { cause?: Error }).cause?.message).toMatch(/not waiting for an approval at yes/);
    await r.handle.executeUpdate(approve, { args: [{ nodeId: 'ok', approve: true, userId: 'u1' }] });
    await r.handle.result();
    expect((await contactRow(w.contactId)).tags).toEqual(['approved-by-u1']);

    const rejected = await run(w, graph);
    await eventually(async () => (await runRow(rejected.runId)).waitingFor === 'approval', 'the second run to wait');
    await rejected.handle.executeUpdate(approve, { args: [{ nodeId: 'ok', approve: false, userId: 'u2' }] });
    await rejected.handle.result();
    expect((await contactRow(w.contactId)).tags).toContain('rejected');

    const timed = await run(w, { ...graph, nodes: graph.nodes.map((n) => (n.id === 'ok' ? { ...n, config: { timeoutSeconds: 1 } } : n)) });
    await timed.handle.result();
    expect((await steps(timed.runId)).find((s) => s.nodeId === 'ok')).toMatchObject({ branch: 'timeout', output: { approved: null } });
    expect((await contactRow(w.contactId)).tags).toContain('timed-out');
  });

  it('stops a graph that loops without end at the step cap', async () => {
    const w = await workspace('loop');
    const graph = {
      nodes: [node('start', 'trigger.webhook'), node('again', 'logic.if', { condition: { left: 'x', op: 'equals', right: 'x' } })],
      edges: [edge('start', 'again'), edge('again', 'again', 'yes')],
    };
    const r = await run(w, graph);
    await expect(r.handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const row = await runRow(r.runId);
    expect(row).toMatchObject({ status: 'failed', steps: MAX_STEPS });
    expect(row.error).toMatch(/Stopped after 500 steps/);
    expect(await steps(r.runId)).toHaveLength(MAX_STEPS);
  });

  it('sends messages, moves leads, creates contacts, assigns round-robin and hands off through the conversation workflow', async () => {
    const w = await workspace('actions');
    const [team] = await h.db.insert(teams).values({ tenantId: w.tenantId, name: 'Sales' }).returning();
    const second = await h.call('POST', '/v1/invitations', { email: `rr-${randomUUID().slice(0, 6)}@example.com`, role: 'agent' }, w.ws.accessToken);
    const joined = await h.call('POST', '/v1/invitations/accept', { token: second.body.token, name: 'Rita', password: 'a long password' });
    await h.db.insert(teamMembers).values([
      { tenantId: w.tenantId, teamId: team.id, userId: w.ws.user.id },
      { tenantId: w.tenantId, teamId: team.id, userId: joined.body.user.id },
    ]);
    const [p] = await h.db.insert(pipelines).values({ tenantId: w.tenantId, name: 'Sales' }).returning();
    const [s1, s2] = await h.db
      .insert(pipelineStages)
      .values([{ tenantId: w.tenantId, pipelineId: p.id, name: 'New', position: 0 }, { tenantId: w.tenantId, pipelineId: p.id, name: 'Qualified', position: 1 }])
      .returning();
    const graph = {
      nodes: [
        node('start', 'trigger.webhook'),
        node('hello', 'action.send_message', { channel: 'widget', text: 'Hi {{contact.name}}, thanks for {{trigger.body.what}}!' }),
        node('lead', 'action.create_lead', { pipelineId: p.id, stageId: s1.id, title: 'Lead' }),
        node('move', 'action.move_lead_stage', { stageId: s2.id }),
        node('person', 'action.create_contact', { attributes: { name: 'Referral of {{contact.name}}', source: 'automation' } }),
        node('rr', 'action.assign', { roundRobinTeamId: team.id }),
        node('human', 'action.handoff', { to: 'human' }),
      ],
      edges: [edge('start', 'hello'), edge('hello', 'lead'), edge('lead', 'move'), edge('move', 'person'), edge('person', 'rr'), edge('rr', 'human')],
    };
    const r = await run(w, graph, { body: { what: 'your order' } });
    await r.handle.result();
    const recorded = await steps(r.runId);
    const out = Object.fromEntries(recorded.map((s) => [s.nodeId, s.output as Record<string, unknown>]));
    const [sent] = await h.db.select().from(messages).where(eq(messages.id, out.hello.messageId as string));
    expect(sent).toMatchObject({ content: 'Hi Dana, thanks for your order!', direction: 'outbound', authorRole: 'system', deliveryStatus: 'sent', conversationId: w.conversationId });
    const [lead] = await h.db.select().from(leads).where(eq(leads.id, out.lead.leadId as string));
    expect(lead.stageId).toBe(s2.id);
    expect(await h.db.select().from(leadStageChanges).where(eq(leadStageChanges.leadId, lead.id))).toHaveLength(1);
    expect(await contactRow(out.person.contactId as string)).toMatchObject({ name: 'Referral of Dana', attributes: { source: 'automation' } });
    const conv = (await h.db.select().from(conversations).where(eq(conversations.id, w.conversationId)))[0];
    expect(conv).toMatchObject({ owner: 'human', teamId: team.id, assigneeId: out.rr.assigneeId });

    // Round-robin: the next assignment goes to the other member, even when two run at once.
    const picks = await Promise.all([1, 2].map(async () => {
      const again = await run(w, { nodes: [node('start', 'trigger.webhook'), node('rr', 'action.assign', { roundRobinTeamId: team.id })], edges: [edge('start', 'rr')] });
      await again.handle.result();
      return ((await steps(again.runId))[1].output as { assigneeId: string }).assigneeId;
    }));
    expect(new Set([out.rr.assigneeId, ...picks]).size).toBe(2);
    expect(picks[0]).not.toBe(picks[1]);

    // A named agent and team, and the conversation back to the AI.
    const direct = await run(w, {
      nodes: [node('start', 'trigger.webhook'), node('to_rita', 'action.assign', { userId: joined.body.user.id }), node('to_team', 'action.assign', { teamId: team.id }), node('ai', 'action.handoff', { to: 'ai' })],
      edges: [edge('start', 'to_rita'), edge('to_rita', 'to_team'), edge('to_team', 'ai')],
    });
    await direct.handle.result();
    expect((await h.db.select().from(conversations).where(eq(conversations.id, w.conversationId)))[0]).toMatchObject({ owner: 'ai', assigneeId: joined.body.user.id, teamId: team.id });
  });

  it('keeps a test run of the draft in the sandbox', async () => {
    const w = await workspace('sandbox');
    const graph = { nodes: [node('start', 'trigger.webhook'), node('hello', 'action.send_message', { channel: 'widget', text: 'Hi {{contact.name}}' }), node('tag', 'action.tag', { add: ['vip'] })], edges: [edge('start', 'hello'), edge('hello', 'tag')] };
    const a = await publishAutomation(h.db, w.tenantId, graph);
    const started = await startAutomationRun(h.db, h.temporal, h.taskQueue, {
      tenantId: w.tenantId, automationId: a.automationId, versionId: null, testDefinition: graph, eventKey: `test:${randomUUID()}`, triggerType: 'trigger.webhook', trigger: {}, conversationId: w.conversationId, contactId: w.contactId,
    });
    await h.temporal.workflow.getHandle(started.workflowId).result();
    const recorded = await steps(started.runId);
    expect(recorded[1].output).toEqual({ sandbox: true, channel: 'widget', text: 'Hi Dana' });
    expect(recorded[2].output).toMatchObject({ dryRun: true, add: ['vip'] });
    expect(await h.db.select().from(messages).where(and(eq(messages.conversationId, w.conversationId), eq(messages.direction, 'outbound')))).toHaveLength(0);
    expect((await contactRow(w.contactId)).tags).toEqual([]);
  });

  it('runs the AI steps on the local provider: classify, extract, and a reply from the knowledge base', async () => {
    const w = await workspace('ai-steps');
    await h.call('POST', '/v1/knowledge/documents', { title: 'Returns', content: 'You can return any item within 30 days for a full refund.' }, w.ws.accessToken);
    await h.call('POST', '/v1/widget/messages', { content: 'How many days do I have to return an item?', clientMessageId: randomUUID() }, w.visitor.sessionToken);
    const [conv] = await eventually(async () => {
      const rows = await h.db.select().from(conversations).where(and(eq(conversations.contactId, w.contactId), eq(conversations.channel, 'widget')));
      const withMessage = [];
      for (const r of rows) if ((await h.db.select().from(messages).where(and(eq(messages.conversationId, r.id), eq(messages.direction, 'inbound')))).length) withMessage.push(r);
      return withMessage.length > 0 && withMessage;
    }, 'the customer conversation');
    const graph = {
      nodes: [
        node('start', 'trigger.webhook'),
        node('kind', 'ai.classify', { labels: ['returns', 'shipping'], text: '{{trigger.body.text}}' }),
        node('details', 'ai.extract', { text: '{{trigger.body.text}}', fields: [{ name: 'order', type: 'number', description: 'order number' }] }),
        node('answer', 'ai.generate_reply'),
        node('send', 'action.send_message', { channel: 'widget', text: '{{nodes.answer.output.text}} (order {{nodes.details.output.fields.order}}, {{nodes.kind.output.label}})' }),
      ],
      edges: [edge('start', 'kind'), edge('kind', 'details'), edge('details', 'answer'), edge('answer', 'send')],
    };
    const a = await publishAutomation(h.db, w.tenantId, graph);
    const started = await startAutomationRun(h.db, h.temporal, h.taskQueue, {
      tenantId: w.tenantId, automationId: a.automationId, versionId: a.versionId, eventKey: `ai:${randomUUID()}`, triggerType: 'trigger.webhook',
      trigger: { body: { text: 'I want to return order: 4411, it does not fit' } }, conversationId: conv.id, contactId: w.contactId,
    });
    await h.temporal.workflow.getHandle(started.workflowId).result();
    const out = Object.fromEntries((await steps(started.runId)).map((s) => [s.nodeId, s.output as Record<string, unknown>]));
    expect(out.kind).toMatchObject({ label: 'returns', provider: 'local' });
    expect(out.details).toMatchObject({ fields: { order: 4411 }, missing: [] });
    expect(out.answer.text).toContain('30 days');
    const [sent] = await h.db.select().from(messages).where(eq(messages.id, out.send.messageId as string));
    expect(sent.content).toMatch(/30 days.*\(order 4411, returns\)$/s);
  });

  it('continues as new when the server suggests it, carrying where it was and what earlier steps returned', async () => {
    const w = await workspace('continue');
    // The test server suggests continue-as-new after 60 history events; fifteen activity steps make well over that.
    const chain = Array.from({ length: 14 }, (_, i) => node(`t${i + 1}`, 'action.tag', { add: [`s${i + 1}`] }));
    const graph = {
      nodes: [node('start', 'trigger.webhook'), ...chain, node('last', 'action.update_contact', { attributes: { first: '{{nodes.t1.output.tags}}' } })],
      edges: [edge('start', 't1'), ...chain.slice(1).map((n, i) => edge(`t${i + 1}`, n.id)), edge('t14', 'last')],
    };
    const r = await run(w, graph);
    expect(await r.handle.result()).toMatchObject({ status: 'succeeded', steps: 16 });
    const history = await r.handle.fetchHistory();
    expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
    const recorded = await steps(r.runId);
    expect(recorded.map((s) => s.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect((await contactRow(w.contactId)).attributes).toMatchObject({ first: ['s1'] });
    expect(await runRow(r.runId)).toMatchObject({ status: 'succeeded', steps: 16 });
  });
});

