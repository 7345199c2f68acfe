import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { automationRuns, conversations } from '../../../db/schema/index.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';
import { edge, node } from '../../../scripts/testing/automation-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const tagFlow = (trigger = node('start', 'trigger.webhook')) => ({
  nodes: [trigger, node('check', 'logic.if', { condition: { left: '{{trigger.body.plan}}', op: 'equals', right: 'pro' } }), node('tag', 'action.tag', { add: ['pro'] })],
  edges: [edge('start', 'check'), edge('check', 'tag', 'yes')],
});

async function agentOf(ownerToken: string) {
  const inv = await h.call('POST', '/v1/invitations', { email: `agent-${randomUUID().slice(0, 8)}@example.com`, role: 'agent' }, ownerToken);
  const joined = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Ann Agent', password: 'a long password' });
  return joined.body.accessToken as string;
}

async function created(token: string, draft?: unknown) {
  const r = await h.call('POST', '/v1/automations', { name: 'Pro plans', ...(draft !== undefined && { draft }) }, token);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.automation as { id: string; draftRevision: number; webhookUrl: string };
}

const hookPath = (webhookUrl: string) => new URL(webhookUrl).pathname;

describe('automations API', () => {
  it('saves drafts with a revision check, validates them, publishes versions and rolls back', async () => {
    const ws = await h.signup('auto-crud');
    const a = await created(ws.accessToken);
    expect(a.webhookUrl).toMatch(/\/webhooks\/automations\/[0-9a-f]{48}$/);
    const empty = await h.call('GET', `/v1/automations/${a.id}`, undefined, ws.accessToken);
    expect(empty.body.validation).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/trigger/i) }] });

    // Autosave: a work-in-progress draft is kept, with what publishing would say about it.
    const wip = { nodes: [node('start', 'trigger.webhook'), node('tag', 'action.tag', { add: [] })], edges: [edge('start', 'tag'), edge('tag', 'nowhere')] };
    const saved = await h.call('PATCH', `/v1/automations/${a.id}`, { draft: wip, draftRevision: 0 }, ws.accessToken);
    expect(saved.status).toBe(200);
    expect(saved.body.automation.draftRevision).toBe(1);
    expect(saved.body.validation.ok).toBe(false);
    expect(saved.body.validation.errors.map((e: { nodeId?: string; edgeId?: string }) => e.nodeId ?? e.edgeId)).toEqual(expect.arrayContaining(['tag']));
    // The same revision again is a stale tab.
    const stale = await h.call('PATCH', `/v1/automations/${a.id}`, { draft: wip, draftRevision: 0 }, ws.accessToken);
    expect(stale.status).toBe(409);
    expect(stale.body.error.fields).toEqual([{ field: 'draftRevision', message: 'stale' }]);

    const refused = await h.call('POST', `/v1/automations/${a.id}/publish`, {}, ws.accessToken);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/cannot be published/);
    expect(refused.body.error.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining([expect.stringMatching(/^nodes\.tag\.config/)]));

    // An unknown reference is caught at publish time, naming the node and field.
    const unknownRef = tagFlow();
    (unknownRef.nodes[2] as { config: Record<string, unknown> }).config = { add: ['{{nodes.ghost.output.label}}'] };
    await h.call('PATCH', `/v1/automations/${a.id}`, { draft: unknownRef, draftRevision: 1 }, ws.accessToken);
    const ghost = await h.call('POST', `/v1/automations/${a.id}/publish`, {}, ws.accessToken);
    expect(ghost.status).toBe(400);
    expect(ghost.body.error.fields[0].field).toMatch(/^nodes\.tag\.config\.add/);

    await h.call('PATCH', `/v1/automations/${a.id}`, { draft: tagFlow(), draftRevision: 2 }, ws.accessToken);
    const v1 = await h.call('POST', `/v1/automations/${a.id}/publish`, { note: 'first' }, ws.accessToken);
    expect(v1.status).toBe(201);
    expect(v1.body.version).toMatchObject({ version: 1, note: 'first', active: true });
    const second = tagFlow();
    (second.nodes[2] as { config: Record<string, unknown> }).config = { add: ['pro', 'v2'] };
    await h.call('PATCH', `/v1/automations/${a.id}`, { draft: second, draftRevision: 3 }, ws.accessToken);
    const v2 = await h.call('POST', `/v1/automations/${a.id}/publish`, { note: 'tags twice' }, ws.accessToken);
    expect(v2.body.version.version).toBe(2);

    const versions = await h.call('GET', `/v1/automations/${a.id}/versions`, undefined, ws.accessToken);
    expect(versions.body.versions.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([[2, true], [1, false]]);
    const one = await h.call('GET', `/v1/automations/${a.id}/versions/${v1.body.version.id}`, undefined, ws.accessToken);
    expect(one.body.version.definition.nodes).toHaveLength(3);

    const back = await h.call('POST', `/v1/automations/${a.id}/rollback`, { versionId: v1.body.version.id }, ws.accessToken);
    expect(back.status).toBe(200);
    expect(back.body.automation).toMatchObject({ activeVersionId: v1.body.version.id, draftRevision: 5 });
    expect(back.body.automation.draft.nodes[2].config.add).toEqual(['pro']);
    const list = await h.call('GET', '/v1/automations', undefined, ws.accessToken);
    expect(list.body.automations).toEqual([expect.objectContaining({ id: a.id, triggerType: 'trigger.webhook', activeVersion: { id: v1.body.version.id, version: 1 }, lastRun: null })]);
  });

  it('refuses bad input with 400s that name the field, and other workspaces and roles', async () => {
    const ws = await h.signup('auto-bad');
    const a = await created(ws.accessToken);
    const bad = async (method: string, path: string, body: unknown, field: string) => {
      const r = await h.call(method, path, body, ws.accessToken);
      expect(r.status, `${method} ${path} ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    };
    await bad('POST', '/v1/automations', { name: '' }, 'name');
    await bad('PATCH', `/v1/automations/${a.id}`, { draft: { nodes: [] } }, 'draft.edges');
    await bad('PATCH', `/v1/automations/${a.id}`, { draft: { nodes: [], edges: [] } }, 'draftRevision');
    await bad('PATCH', `/v1/automations/${a.id}`, { draft: { nodes: 'x', edges: [] }, draftRevision: 0 }, 'draft.nodes');
    await bad('GET', `/v1/automations/${a.id}/runs?limit=0`, undefined, 'limit');
    await bad('GET', `/v1/automations/${a.id}/runs?before=yesterday`, undefined, 'before');
    await bad('POST', `/v1/automations/${a.id}/rollback`, { versionId: 'v1' }, 'versionId');
    await bad('POST', `/v1/automations/${a.id}/test`, { conversationId: 'nope' }, 'conversationId');
    expect((await h.call('GET', '/v1/automations/not-a-uuid', undefined, ws.accessToken)).status).toBe(400);

    const other = await h.signup('auto-other');
    for (const [method, path, body] of [
      ['GET', `/v1/automations/${a.id}`, undefined],
      ['PATCH', `/v1/automations/${a.id}`, { name: 'mine now' }],
      ['POST', `/v1/automations/${a.id}/publish`, {}],
      ['GET', `/v1/automations/${a.id}/runs`, undefined],
      ['DELETE', `/v1/automations/${a.id}`, undefined],
    ] as const) {
      expect((await h.call(method, path, body, other.accessToken)).status, `${method} ${path}`).toBe(404);
    }
    const agent = await agentOf(ws.accessToken);
    expect((await h.call('GET', '/v1/automations', undefined, agent)).status).toBe(403);
    expect((await h.call('POST', '/v1/automations', { name: 'x' }, agent)).status).toBe(403);
  });

  it('test-runs the draft in the sandbox and shows each step', async () => {
    const ws = await h.signup('auto-test');
    const v = await h.visitor(ws.tenant.widgetKey, { name: 'Tess' });
    const [conv] = await h.db.insert(conversations).values({ tenantId: ws.tenant.id, contactId: v.contactId, channel: 'widget' }).returning();
    const a = await created(ws.accessToken, {
      nodes: [node('start', 'trigger.webhook'), node('hello', 'action.send_message', { channel: 'widget', text: 'Hi {{contact.name}}, plan {{trigger.body.plan}}' })],
      edges: [edge('start', 'hello')],
    });
    const started = await h.call('POST', `/v1/automations/${a.id}/test`, { trigger: { body: { plan: 'pro' } }, conversationId: conv.id }, ws.accessToken);
    expect(started.status).toBe(202);
    const run = await eventually(async () => {
      const r = await h.call('GET', `/v1/automation-runs/${started.body.run.id}`, undefined, ws.accessToken);
      return r.body.run?.status === 'succeeded' && r.body.run;
    }, 'the test run');
    expect(run).toMatchObject({ test: true, version: null, contactId: v.contactId, trigger: { body: { plan: 'pro' } }, stepCount: 2 });
    expect(run.steps.map((s: { nodeId: string; status: string }) => [s.nodeId, s.status])).toEqual([['start', 'succeeded'], ['hello', 'succeeded']]);
    expect(run.steps[1].output).toEqual({ sandbox: true, channel: 'widget', text: 'Hi Tess, plan pro' });
    expect(run.definition.nodes).toHaveLength(2);
    const runs = await h.call('GET', `/v1/automations/${a.id}/runs?test=true`, undefined, ws.accessToken);
    expect(runs.body.runs.map((r: { id: string }) => r.id)).toEqual([started.body.run.id]);
    expect((await h.call('GET', `/v1/automations/${a.id}/runs?test=false`, undefined, ws.accessToken)).body.runs).toEqual([]);
    const other = await h.signup('auto-test-other');
    expect((await h.call('GET', `/v1/automation-runs/${started.body.run.id}`, undefined, other.accessToken)).status).toBe(404);
  });

  it('runs a webhook once per Idempotency-Key, and refuses what is not a published webhook', async () => {
    const ws = await h.signup('auto-hook');
    // No contact comes with a webhook: a flow of control steps only.
    const a = await created(ws.accessToken, {
      nodes: [node('start', 'trigger.webhook'), node('check', 'logic.if', { condition: { left: '{{trigger.body.plan}}', op: 'equals', right: 'pro' } }), node('done', 'logic.stop')],
      edges: [edge('start', 'check'), edge('check', 'done', 'yes')],
    });
    const path = hookPath(a.webhookUrl);
    expect((await h.call('POST', path, { plan: 'pro' })).status).toBe(409);
    await h.call('POST', `/v1/automations/${a.id}/publish`, {}, ws.accessToken);
    const deliveries = await Promise.all([1, 2, 3].map(() => h.call('POST', path, { plan: 'pro' }, undefined, { 'idempotency-key': 'order-77' })));
    expect(deliveries.map((d) => d.status)).toEqual([202, 202, 202]);
    expect(new Set(deliveries.map((d) => d.body.runId)).size).toBe(1);
    expect(deliveries.filter((d) => d.body.duplicate)).toHaveLength(2);
    await eventually(async () => (await h.db.select().from(automationRuns).where(eq(automationRuns.automationId, a.id)))[0]?.status === 'succeeded', 'the webhook run');
    expect(await h.db.select().from(automationRuns).where(eq(automationRuns.automationId, a.id))).toHaveLength(1);

    expect((await h.call('POST', path, '[1,2]')).status).toBe(400);
    expect((await h.call('POST', path, 'not json')).status).toBe(400);
    expect((await h.call('POST', path, {}, undefined, { 'idempotency-key': 'x'.repeat(201) })).status).toBe(400);
    expect((await h.call('POST', '/webhooks/automations/' + 'a'.repeat(48), {})).status).toBe(404);
    await h.call('PATCH', `/v1/automations/${a.id}`, { enabled: false }, ws.accessToken);
    expect((await h.call('POST', path, {})).status).toBe(409);
  });

  it('approves a waiting run through the API, with the approver role the step asks for', async () => {
    const ws = await h.signup('auto-approve');
    const a = await created(ws.accessToken, {
      nodes: [node('start', 'trigger.webhook'), node('ok', 'logic.approval', { timeoutSeconds: 120, approverRole: 'admin' }), node('done', 'logic.stop')],
      edges: [edge('start', 'ok'), edge('ok', 'done')],
    });
    await h.call('POST', `/v1/automations/${a.id}/publish`, {}, ws.accessToken);
    const hook = await h.call('POST', hookPath(a.webhookUrl), {});
    const runId = hook.body.runId as string;
    await eventually(async () => (await h.call('GET', `/v1/automation-runs/${runId}`, undefined, ws.accessToken)).body.run.waitingFor === 'approval', 'the approval step');
    const agent = await agentOf(ws.accessToken);
    expect((await h.call('POST', `/v1/automation-runs/${runId}/approval`, { approve: true }, agent)).status).toBe(403);
    const ok = await h.call('POST', `/v1/automation-runs/${runId}/approval`, { approve: true }, ws.accessToken);
    expect(ok.status).toBe(200);
    expect(ok.body.run).toEqual({ id: runId, nodeId: 'ok', approved: true });
    await eventually(async () => (await h.call('GET', `/v1/automation-runs/${runId}`, undefined, ws.accessToken)).body.run.status === 'succeeded', 'the approved run to finish');
    const run = (await h.call('GET', `/v1/automation-runs/${runId}`, undefined, ws.accessToken)).body.run;
    expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'ok')).toMatchObject({ branch: 'next', output: { approved: true, by: ws.user.id } });
    expect((await h.call('POST', `/v1/automation-runs/${runId}/approval`, { approve: false }, ws.accessToken)).status).toBe(409);
  });

  it('keeps a Temporal Schedule in step with a schedule trigger', async () => {
    const ws = await h.signup('auto-schedule');
    const a = await created(ws.accessToken, { nodes: [node('start', 'trigger.schedule', { cron: '0 9 * * 1' }), node('done', 'logic.stop')], edges: [edge('start', 'done')] });
    expect((await h.call('POST', `/v1/automations/${a.id}/publish`, {}, ws.accessToken)).status).toBe(201);
    const handle = h.temporal.schedule.getHandle(`automation:${ws.tenant.id}:${a.id}`);
    // Fired now rather than on Monday: the run records itself, with the firing as its event.
    await handle.trigger();
    const fired = await eventually(async () => (await h.db.select().from(automationRuns).where(eq(automationRuns.automationId, a.id)))[0], 'the scheduled run');
    expect(fired.eventKey).toMatch(/^schedule:automation:/);
    await eventually(async () => (await h.db.select().from(automationRuns).where(eq(automationRuns.id, fired.id)))[0].status === 'succeeded', 'the scheduled run to finish');
    const described = await handle.describe();
    expect(described.spec.calendars?.length).toBeGreaterThan(0);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'automationRunWorkflow' });
    expect(described.state.paused).toBe(false);
    await h.call('PATCH', `/v1/automations/${a.id}`, { enabled: false }, ws.accessToken);
    expect((await handle.describe()).state.paused).toBe(true);

    const badCron = await h.call('PATCH', `/v1/automations/${a.id}`, { draft: { nodes: [node('start', 'trigger.schedule', { cron: 'every tuesday' }), node('done', 'logic.stop')], edges: [edge('start', 'done')] }, draftRevision: 0 }, ws.accessToken);
    expect(badCron.status).toBe(200);
    const refused = await h.call('POST', `/v1/automations/${a.id}/publish`, {}, ws.accessToken);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields[0].field).toBe('nodes.start.config.cron');
    // The refused publish changed nothing: the old schedule is still there.
    expect((await handle.describe()).state.paused).toBe(true);

    expect((await h.call('DELETE', `/v1/automations/${a.id}`, undefined, ws.accessToken)).status).toBe(204);
    await expect(handle.describe()).rejects.toThrow();
  });
});
