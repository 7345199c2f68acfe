import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { ScheduleNotFoundError } from '@temporalio/client';
import { automationRuns, automations, contacts, conversations, tenants } from '../../../db/schema/index.js';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';
import { edge, node } from '../../../scripts/testing/automation-fixtures.js';

// What automation-routes.integration.test.ts leaves out: size limits, every route's tenancy and role
// checks, run paging, and a schedule that a later version drops.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const stopFlow = (trigger = node('start', 'trigger.webhook')) => ({ nodes: [trigger, node('done', 'logic.stop')], edges: [edge('start', 'done')] });

async function memberOf(ownerToken: string, role: 'agent' | 'manager') {
  const inv = await h.call('POST', '/v1/invitations', { email: `${role}-${randomUUID().slice(0, 8)}@example.com`, role }, ownerToken);
  const joined = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: `A ${role}`, password: 'a long password' });
  return joined.body.accessToken as string;
}

async function created(token: string, draft?: unknown) {
  const r = await h.call('POST', '/v1/automations', { name: 'Guarded', ...(draft !== undefined && { draft }) }, token);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.automation as { id: string; draftRevision: number; webhookUrl: string };
}

const fieldsOf = (r: { body: { error?: { fields?: Array<{ field: string }> } } }) => (r.body.error?.fields ?? []).map((f) => f.field);

describe('automations API guards', () => {
  it('refuses drafts that are too large or not a graph, and names the first broken node or edge on publish', async () => {
    const ws = await h.signup('guard-input');
    const a = await created(ws.accessToken);
    const patch = (body: unknown) => h.call('PATCH', `/v1/automations/${a.id}`, body, ws.accessToken);

    const notNodes = await h.call('POST', '/v1/automations', { name: 'x', draft: { nodes: [1], edges: [] } }, ws.accessToken);
    expect(notNodes.status).toBe(400);
    expect(fieldsOf(notNodes)).toEqual([expect.stringMatching(/^draft\.nodes/)]);
    const many = await patch({ draft: { nodes: Array.from({ length: 501 }, (_, i) => node(`n${i}`, 'logic.stop')), edges: [] }, draftRevision: 0 });
    expect(many.status).toBe(400);
    expect(fieldsOf(many)).toContain('draft.nodes');
    const huge = await patch({ draft: { nodes: [node('start', 'trigger.webhook', { note: 'x'.repeat(300 * 1024) })], edges: [] }, draftRevision: 0 });
    expect(huge.status).toBe(400);
    expect(fieldsOf(huge)).toContain('draft');
    expect(fieldsOf(await patch({ draft: stopFlow(), draftRevision: -1 }))).toContain('draftRevision');
    // None of these saved anything.
    expect((await h.call('GET', `/v1/automations/${a.id}`, undefined, ws.accessToken)).body.automation.draftRevision).toBe(0);

    for (const [query, field] of [['limit=101', 'limit'], ['limit=ten', 'limit'], ['status=lost', 'status'], ['test=maybe', 'test']]) {
      const r = await h.call('GET', `/v1/automations/${a.id}/runs?${query}`, undefined, ws.accessToken);
      expect(r.status, query).toBe(400);
      expect(fieldsOf(r), query).toContain(field);
    }
    expect((await h.call('GET', `/v1/automations/${a.id}/versions/v1`, undefined, ws.accessToken)).status).toBe(400);
    expect((await h.call('POST', '/v1/automation-runs/nope/approval', { approve: true }, ws.accessToken)).status).toBe(400);
    expect(fieldsOf(await h.call('POST', `/v1/automations/${a.id}/test`, { contactId: 'c1' }, ws.accessToken))).toContain('contactId');

    const publish = () => h.call('POST', `/v1/automations/${a.id}/publish`, {}, ws.accessToken);
    const noTrigger = await publish();
    expect(noTrigger.status).toBe(400);
    expect(noTrigger.body.error.message).toMatch(/the graph: .*trigger/i);

    let rev = 0;
    const save = async (draft: unknown) => expect((await patch({ draft, draftRevision: rev++ })).status).toBe(200);
    await save({ nodes: [node('start', 'trigger.webhook'), node('done', 'logic.stop')], edges: [edge('start', 'done'), { id: 'dangling', source: 'done', target: 'ghost' }] });
    const dangling = await publish();
    expect(dangling.status).toBe(400);
    expect(dangling.body.error.message).toMatch(/edge dangling/);
    expect(fieldsOf(dangling)).toContain('edges.dangling.target');

    await save({ nodes: [node('start', 'trigger.webhook'), node('tag', 'action.tag', { add: ['{{nodes.ghost.output.label}}'] })], edges: [edge('start', 'tag')] });
    const ghost = await publish();
    expect(ghost.body.error.message).toMatch(/node tag: .*ghost/);
    const [row] = await h.db.select().from(automations).where(eq(automations.id, a.id));
    expect(row.activeVersionId).toBeNull();
  });

  it("answers 404 for another workspace's automations, versions, runs, contacts and conversations, and 403 below the role", async () => {
    const ws = await h.signup('guard-a');
    const a = await created(ws.accessToken, stopFlow());
    const v = (await h.call('POST', `/v1/automations/${a.id}/publish`, {}, ws.accessToken)).body.version as { id: string };
    const runId = (await h.call('POST', new URL(a.webhookUrl).pathname, {})).body.runId as string;
    expect(runId).toBeTruthy();

    const other = await h.signup('guard-b');
    for (const [method, path, body] of [
      ['GET', `/v1/automations/${a.id}/versions`, undefined],
      ['GET', `/v1/automations/${a.id}/versions/${v.id}`, undefined],
      ['POST', `/v1/automations/${a.id}/rollback`, { versionId: v.id }],
      ['POST', `/v1/automations/${a.id}/test`, {}],
      ['GET', `/v1/automation-runs/${runId}`, undefined],
      ['POST', `/v1/automation-runs/${runId}/approval`, { approve: true }],
      ['POST', `/v1/automation-runs/${runId}/cancel`, undefined],
    ] as const) {
      expect((await h.call(method, path, body, other.accessToken)).status, `${method} ${path}`).toBe(404);
    }
    // A version of another automation is not one of this automation's versions.
    const theirs = await created(other.accessToken, stopFlow());
    const wrongVersion = await h.call('POST', `/v1/automations/${theirs.id}/rollback`, { versionId: v.id }, other.accessToken);
    expect(wrongVersion.status).toBe(404);
    expect(fieldsOf(wrongVersion)).toEqual(['versionId']);

    // A test run may not borrow another workspace's customer.
    const visitor = await h.visitor(other.tenant.widgetKey, { name: 'Not yours' });
    const [theirConversation] = await h.db.insert(conversations).values({ tenantId: other.tenant.id, contactId: visitor.contactId, channel: 'widget' }).returning();
    const borrowConv = await h.call('POST', `/v1/automations/${a.id}/test`, { conversationId: theirConversation.id }, ws.accessToken);
    expect(borrowConv.status).toBe(404);
    expect(fieldsOf(borrowConv)).toEqual(['conversationId']);
    const borrowContact = await h.call('POST', `/v1/automations/${a.id}/test`, { contactId: visitor.contactId }, ws.accessToken);
    expect(borrowContact.status).toBe(404);
    expect(fieldsOf(borrowContact)).toEqual(['contactId']);
    expect((await h.db.select().from(contacts).where(eq(contacts.id, visitor.contactId)))[0].tenantId).toBe(other.tenant.id);

    const agent = await memberOf(ws.accessToken, 'agent');
    for (const [method, path, body] of [
      ['GET', `/v1/automations/${a.id}`, undefined],
      ['GET', `/v1/automations/${a.id}/runs`, undefined],
      ['GET', `/v1/automation-runs/${runId}`, undefined],
      ['PATCH', `/v1/automations/${a.id}`, { enabled: false }],
      ['POST', `/v1/automations/${a.id}/publish`, {}],
      ['POST', `/v1/automations/${a.id}/rollback`, { versionId: v.id }],
      ['POST', `/v1/automations/${a.id}/test`, {}],
      ['DELETE', `/v1/automations/${a.id}`, undefined],
    ] as const) {
      expect((await h.call(method, path, body, agent)).status, `agent ${method} ${path}`).toBe(403);
    }
    // A manager reads automations and their runs but does not change them.
    const manager = await memberOf(ws.accessToken, 'manager');
    expect((await h.call('GET', `/v1/automations/${a.id}/runs`, undefined, manager)).body.runs.map((r: { id: string }) => r.id)).toEqual([runId]);
    expect((await h.call('PATCH', `/v1/automations/${a.id}`, { name: 'renamed' }, manager)).status).toBe(403);
    expect((await h.call('GET', `/v1/automations/${a.id}`, undefined, ws.accessToken)).body.automation.enabled).toBe(true);
  });

  it('pages runs without skipping the ones created in the same millisecond', async () => {
    const ws = await h.signup('guard-pages');
    const a = await created(ws.accessToken);
    // Three runs inside one millisecond and one before it, as concurrent webhook deliveries give.
    const at = ['2026-03-01T10:00:00.123300Z', '2026-03-01T10:00:00.123200Z', '2026-03-01T10:00:00.123100Z', '2026-03-01T09:59:59.000000Z'];
    const ids: string[] = [];
    for (const [i, createdAt] of at.entries()) {
      const [r] = await h.db
        .insert(automationRuns)
        .values({ tenantId: ws.tenant.id, automationId: a.id, eventKey: `test:page-${i}`, triggerType: 'trigger.webhook', workflowId: `page-${i}`, createdAt: sql`${createdAt}::timestamptz` as unknown as Date })
        .returning({ id: automationRuns.id });
      ids.push(r.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 6; page++) {
      const r = await h.call('GET', `/v1/automations/${a.id}/runs?limit=1${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`, undefined, ws.accessToken);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      seen.push(...r.body.runs.map((x: { id: string }) => x.id));
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(ids);
    const two = await h.call('GET', `/v1/automations/${a.id}/runs?limit=2`, undefined, ws.accessToken);
    expect(two.body.nextCursor).toBe('2026-03-01T10:00:00.123200Z');
  });

  it('removes the Temporal Schedule when a later version drops the schedule trigger, and rollback brings it back', async () => {
    const ws = await h.signup('guard-schedule');
    await h.db.update(tenants).set({ timezone: 'Europe/Brussels' }).where(eq(tenants.id, ws.tenant.id));
    const a = await created(ws.accessToken, stopFlow(node('start', 'trigger.schedule', { everySeconds: 3600 })));
    const scheduleId = `automation:${ws.tenant.id}:${a.id}`;
    const handle = h.temporal.schedule.getHandle(scheduleId);
    const v1 = (await h.call('POST', `/v1/automations/${a.id}/publish`, { note: 'hourly' }, ws.accessToken)).body.version as { id: string };

    const hourly = await handle.describe();
    expect(hourly.spec.intervals).toHaveLength(1);
    expect(hourly.spec.timezone).toBe('Europe/Brussels');
    expect(hourly.policies.overlap).toBe('SKIP');
    expect(hourly.action).toMatchObject({ workflowType: 'automationRunWorkflow', taskQueue: h.taskQueue, args: [{ tenantId: ws.tenant.id, automationId: a.id }] });
    const scheduleOf = async () => (await h.db.select().from(automations).where(eq(automations.id, a.id)))[0].scheduleId;
    expect(await scheduleOf()).toBe(scheduleId);

    expect((await h.call('PATCH', `/v1/automations/${a.id}`, { draft: stopFlow(), draftRevision: 0 }, ws.accessToken)).status).toBe(200);
    expect((await h.call('POST', `/v1/automations/${a.id}/publish`, {}, ws.accessToken)).status).toBe(201);
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(await scheduleOf()).toBeNull();

    // Paused, then rolled back: the schedule returns, paused like its automation.
    await h.call('PATCH', `/v1/automations/${a.id}`, { enabled: false }, ws.accessToken);
    const back = await h.call('POST', `/v1/automations/${a.id}/rollback`, { versionId: v1.id }, ws.accessToken);
    expect(back.body.automation).toMatchObject({ triggerType: 'trigger.schedule', activeVersionId: v1.id, draftRevision: 2 });
    expect((await handle.describe()).state.paused).toBe(true);
    await h.call('PATCH', `/v1/automations/${a.id}`, { enabled: true }, ws.accessToken);
    expect((await handle.describe()).state.paused).toBe(false);

    expect((await h.call('DELETE', `/v1/automations/${a.id}`, undefined, ws.accessToken)).status).toBe(204);
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await h.call('GET', `/v1/automations/${a.id}`, undefined, ws.accessToken)).status).toBe(404);
  });

  it('keeps only safe headers of a webhook delivery, refuses a body over 256 KB, and starts one run per key', async () => {
    const ws = await h.signup('guard-hook');
    const a = await created(ws.accessToken, stopFlow());
    await h.call('POST', `/v1/automations/${a.id}/publish`, {}, ws.accessToken);
    const path = new URL(a.webhookUrl).pathname;

    const big = await h.call('POST', path, { blob: 'x'.repeat(257 * 1024) });
    expect(big.status).toBe(400);
    expect(fieldsOf(big)).toEqual(['body']);

    const first = await h.call('POST', path, { order: 1 }, undefined, { 'user-agent': 'shop/1.0', authorization: 'Bearer theirs', 'x-shop-secret': 's3cret' });
    expect(first.status).toBe(202);
    const [run] = await h.db.select().from(automationRuns).where(eq(automationRuns.id, first.body.runId));
    expect(run.eventKey).toMatch(/^webhook:[0-9a-f-]{36}$/);
    expect(run.trigger).toMatchObject({ body: { order: 1 }, headers: { 'content-type': 'application/json', 'user-agent': 'shop/1.0' }, receivedAt: expect.any(String) });
    expect(Object.keys((run.trigger as { headers: object }).headers).sort()).toEqual(['content-type', 'user-agent']);

    // Without a key every delivery is its own run; with one, a retry is the same run.
    expect((await h.call('POST', path, { order: 1 })).body.duplicate).toBe(false);
    const keyed = await h.call('POST', path, { order: 2 }, undefined, { 'idempotency-key': 'order-2' });
    const retried = await h.call('POST', path, { order: 2 }, undefined, { 'idempotency-key': 'order-2' });
    expect(retried.body).toEqual({ runId: keyed.body.runId, duplicate: true });
    expect(await h.db.select().from(automationRuns).where(eq(automationRuns.automationId, a.id))).toHaveLength(3);
    const described = await h.temporal.workflow.getHandle(run.workflowId).describe();
    expect(described.type).toBe('automationRunWorkflow');
  });
});
