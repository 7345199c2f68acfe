import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { withTenant } from '../../../db/client.js';
import { contacts, teamMembers, teams } from '../../../db/schema/index.js';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

type Ws = Awaited<ReturnType<Harness['signup']>>;

async function member(ws: Ws, role: 'agent' | 'manager' = 'agent') {
  const inv = await h.call('POST', '/v1/invitations', { email: `${role}-${randomUUID().slice(0, 8)}@example.com`, role }, ws.accessToken);
  const joined = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: `A ${role}`, password: 'a long password' });
  return { token: joined.body.accessToken as string, id: joined.body.user.id as string };
}

async function salesSetup(label: string) {
  const ws = await h.signup(label);
  const made = await h.call('POST', '/v1/pipelines', { name: 'Sales', stages: [{ name: 'New' }, { name: 'Qualified' }, { name: 'Won', kind: 'won' }, { name: 'Lost', kind: 'lost' }] }, ws.accessToken);
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const [contact] = await withTenant(h.db, ws.tenant.id, (tx) => tx.insert(contacts).values({ tenantId: ws.tenant.id, name: 'Cleo' }).returning());
  const stage = (name: string) => (made.body.pipeline.stages as Array<{ id: string; name: string }>).find((s) => s.name === name)!.id;
  const lead = async (title: string, extra: Record<string, unknown> = {}) => {
    const r = await h.call('POST', '/v1/leads', { pipelineId: made.body.pipeline.id, contactId: contact.id, title, ...extra }, ws.accessToken);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.lead as { id: string; stageId: string; position: number };
  };
  return { ws, pipeline: made.body.pipeline as { id: string }, contact, stage, lead };
}

describe('pipelines and leads', () => {
  it('creates pipelines with ordered stages, and reorders, renames and adds stages', async () => {
    const { ws, pipeline, stage, lead } = await salesSetup('crm-stages');
    const got = await h.call('GET', `/v1/pipelines/${pipeline.id}`, undefined, ws.accessToken);
    expect(got.body.pipeline.stages.map((s: { name: string; kind: string }) => `${s.name}:${s.kind}`)).toEqual(['New:open', 'Qualified:open', 'Won:won', 'Lost:lost']);
    // Swap two names in one go, add a stage, drop an empty one.
    const patched = await h.call('PATCH', `/v1/pipelines/${pipeline.id}`, {
      name: 'Deals',
      stages: [{ id: stage('Qualified'), name: 'New' }, { id: stage('New'), name: 'Qualified' }, { name: 'Proposal' }, { id: stage('Won'), name: 'Won', kind: 'won' }],
    }, ws.accessToken);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.pipeline.name).toBe('Deals');
    expect(patched.body.pipeline.stages.map((s: { name: string }) => s.name)).toEqual(['New', 'Qualified', 'Proposal', 'Won']);
    // A stage that holds a lead cannot be dropped.
    await lead('Big deal');
    const refused = await h.call('PATCH', `/v1/pipelines/${pipeline.id}`, { stages: [{ id: stage('Won'), name: 'Won', kind: 'won' }, { name: 'Open' }] }, ws.accessToken);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/still has leads/);
    const list = await h.call('GET', '/v1/pipelines', undefined, ws.accessToken);
    expect(list.body.pipelines).toHaveLength(1);
  });

  it('moves leads across stages and within a column, recording who moved them, with totals per stage on the board', async () => {
    const { ws, pipeline, stage, lead } = await salesSetup('crm-board');
    const a = await lead('Alpha', { value: 1200.5, tags: ['vip'] });
    const b = await lead('Beta', { value: 99.99 });
    const c = await lead('Gamma', { value: 10 });
    expect([a.position, b.position, c.position]).toEqual([0, 1, 2]);

    const moved = await h.call('POST', `/v1/leads/${b.id}/move`, { stageId: stage('Qualified') }, ws.accessToken);
    expect(moved.status).toBe(200);
    expect(moved.body.lead).toMatchObject({ stageId: stage('Qualified'), position: 0 });
    // Gamma goes to the top of Qualified, above Beta.
    await h.call('POST', `/v1/leads/${c.id}/move`, { stageId: stage('Qualified'), position: 0 }, ws.accessToken);
    const board = await h.call('GET', `/v1/pipelines/${pipeline.id}/board`, undefined, ws.accessToken);
    const col = (name: string) => board.body.stages.find((s: { name: string }) => s.name === name);
    expect(col('New')).toMatchObject({ count: 1, total: '1200.50' });
    expect(col('Qualified').leads.map((l: { title: string }) => l.title)).toEqual(['Gamma', 'Beta']);
    expect(col('Qualified')).toMatchObject({ count: 2, total: '109.99' });
    expect(col('Won')).toMatchObject({ count: 0, total: '0.00', leads: [] });
    const vip = await h.call('GET', `/v1/pipelines/${pipeline.id}/board?tag=vip`, undefined, ws.accessToken);
    expect(vip.body.stages.flatMap((s: { leads: Array<{ title: string }> }) => s.leads.map((l) => l.title))).toEqual(['Alpha']);

    const history = await h.call('GET', `/v1/leads/${b.id}`, undefined, ws.accessToken);
    expect(history.body.stageChanges.map((ch: { fromStageId: string | null; toStageId: string; actorUserId: string }) => [ch.fromStageId, ch.toStageId, ch.actorUserId])).toEqual([
      [null, stage('New'), ws.user.id],
      [stage('New'), stage('Qualified'), ws.user.id],
    ]);
    // Moving within the same stage records no stage change.
    await h.call('POST', `/v1/leads/${b.id}/move`, { stageId: stage('Qualified'), position: 0 }, ws.accessToken);
    expect((await h.call('GET', `/v1/leads/${b.id}`, undefined, ws.accessToken)).body.stageChanges).toHaveLength(2);
    const agent = await member(ws);
    const edited = await h.call('PATCH', `/v1/leads/${a.id}`, { score: 80, expectedCloseDate: '2027-01-31', currency: 'USD', ownerId: agent.id }, agent.token);
    expect(edited.body.lead).toMatchObject({ score: 80, expectedCloseDate: '2027-01-31', currency: 'USD', ownerId: agent.id });
    const mine = await h.call('GET', `/v1/pipelines/${pipeline.id}/board?ownerId=${agent.id}`, undefined, ws.accessToken);
    expect(mine.body.stages.flatMap((s: { leads: unknown[] }) => s.leads)).toHaveLength(1);
  });

  it('assigns round-robin fairly when assignments run at the same time', async () => {
    const { ws, lead } = await salesSetup('crm-rr');
    const [m1, m2] = await Promise.all([member(ws), member(ws)]);
    const [team] = await h.db.insert(teams).values({ tenantId: ws.tenant.id, name: 'Closers' }).returning();
    await h.db.insert(teamMembers).values([{ tenantId: ws.tenant.id, teamId: team.id, userId: m1.id }, { tenantId: ws.tenant.id, teamId: team.id, userId: m2.id }]);
    const made = await Promise.all(Array.from({ length: 6 }, (_, i) => lead(`Deal ${i}`)));
    const assigned = await Promise.all(made.map((l) => h.call('POST', `/v1/leads/${l.id}/assign`, { roundRobinTeamId: team.id }, ws.accessToken)));
    const owners = assigned.map((r) => r.body.lead.ownerId as string);
    expect(owners.filter((o) => o === m1.id)).toHaveLength(3);
    expect(owners.filter((o) => o === m2.id)).toHaveLength(3);
  });

  it('refuses bad input naming the field, other workspaces, and pipeline changes by agents', async () => {
    const { ws, pipeline, stage, lead, contact } = await salesSetup('crm-bad');
    const l = await lead('Deal');
    const bad = async (method: string, path: string, body: unknown, field: string, token = ws.accessToken) => {
      const r = await h.call(method, path, body, token);
      expect(r.status, `${method} ${path} ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    };
    await bad('POST', '/v1/pipelines', { name: 'X', stages: [] }, 'stages');
    await bad('POST', '/v1/pipelines', { name: 'X', stages: [{ name: 'A' }, { name: 'a' }] }, 'stages');
    await bad('POST', '/v1/pipelines', { name: 'X', stages: [{ name: 'Won', kind: 'won' }] }, 'stages');
    await bad('POST', '/v1/leads', { pipelineId: pipeline.id, contactId: contact.id, title: 'x', value: -5 }, 'value');
    await bad('POST', '/v1/leads', { pipelineId: pipeline.id, contactId: contact.id, title: 'x', value: 1.234 }, 'value');
    await bad('POST', '/v1/leads', { pipelineId: pipeline.id, contactId: contact.id, title: 'x', currency: 'euro' }, 'currency');
    await bad('POST', '/v1/leads', { pipelineId: pipeline.id, contactId: randomUUID(), title: 'x' }, 'contactId');
    await bad('POST', '/v1/leads', { pipelineId: randomUUID(), contactId: contact.id, title: 'x' }, 'pipelineId');
    await bad('PATCH', `/v1/leads/${l.id}`, { expectedCloseDate: '2027-02-30' }, 'expectedCloseDate');
    await bad('PATCH', `/v1/leads/${l.id}`, { score: 101 }, 'score');
    await bad('PATCH', `/v1/leads/${l.id}`, { ownerId: randomUUID() }, 'ownerId');
    await bad('POST', `/v1/leads/${l.id}/assign`, {}, 'body');
    await bad('POST', `/v1/leads/${l.id}/assign`, { roundRobinTeamId: randomUUID() }, 'roundRobinTeamId');

    const other = await salesSetup('crm-other');
    await bad('POST', `/v1/leads/${l.id}/move`, { stageId: other.stage('Won') }, 'stageId');
    for (const [method, path, body] of [
      ['GET', `/v1/pipelines/${pipeline.id}`, undefined],
      ['GET', `/v1/pipelines/${pipeline.id}/board`, undefined],
      ['PATCH', `/v1/pipelines/${pipeline.id}`, { name: 'mine' }],
      ['GET', `/v1/leads/${l.id}`, undefined],
      ['PATCH', `/v1/leads/${l.id}`, { title: 'mine' }],
      ['POST', `/v1/leads/${l.id}/move`, { stageId: other.stage('Won') }],
      ['DELETE', `/v1/leads/${l.id}`, undefined],
    ] as const) {
      expect((await h.call(method, path, body, other.ws.accessToken)).status, `${method} ${path}`).toBe(404);
    }
    const agent = await member(ws);
    expect((await h.call('POST', '/v1/pipelines', { name: 'Mine', stages: [{ name: 'A' }] }, agent.token)).status).toBe(403);
    expect((await h.call('POST', `/v1/leads/${l.id}/move`, { stageId: stage('Won') }, agent.token)).status).toBe(200);
    expect((await h.call('DELETE', `/v1/leads/${l.id}`, undefined, ws.accessToken)).status).toBe(204);
    expect((await h.call('GET', `/v1/leads/${l.id}`, undefined, ws.accessToken)).status).toBe(404);
  });
});
