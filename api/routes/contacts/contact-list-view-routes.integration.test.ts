import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

async function member(ownerToken: string, role: 'agent' | 'manager') {
  const inv = await h.call('POST', '/v1/invitations', { email: `${role}-${randomUUID().slice(0, 8)}@example.com`, role }, ownerToken);
  const joined = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: `A ${role}`, password: 'a long password' });
  return joined.body.accessToken as string;
}

describe('saved contact list views', () => {
  it('saves filters under a name for the workspace, and the list and the CSV export apply them', async () => {
    const ws = await h.signup('views');
    const call = (method: string, path: string, body?: unknown, token = ws.accessToken) => h.call(method, path, body, token);
    await call('POST', '/v1/contacts', { name: 'Vera Vip', tags: ['vip'], attributes: { plan: 'pro' } });
    await call('POST', '/v1/contacts', { name: 'Victor Vip', tags: ['vip'], attributes: { plan: 'free' } });
    await call('POST', '/v1/contacts', { name: 'Nina Normal', attributes: { plan: 'pro' } });

    const saved = await call('POST', '/v1/contact-views', { name: 'Pro VIPs', filters: { tag: 'vip', attribute: 'plan:pro' } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    await call('POST', '/v1/contact-views', { name: 'All VIPs', filters: { tag: 'vip' } });
    const agent = await member(ws.accessToken, 'agent');
    expect((await call('POST', '/v1/contact-views', { name: 'Ninas', filters: { q: 'Nina' } }, agent)).status).toBe(201);

    const views = (await call('GET', '/v1/contact-views')).body.views as Array<{ name: string; filters: Record<string, string> }>;
    expect(views.map((v) => v.name)).toEqual(['All VIPs', 'Ninas', 'Pro VIPs']);
    const apply = async (filters: Record<string, string>) => (await call('GET', `/v1/contacts?${new URLSearchParams(filters)}`)).body.contacts.map((c: { name: string }) => c.name).sort();
    expect(await apply(views[2].filters)).toEqual(['Vera Vip']);
    expect(await apply(views[0].filters)).toEqual(['Vera Vip', 'Victor Vip']);
    expect(await apply(views[1].filters)).toEqual(['Nina Normal']);

    const csv = await h.app.request(`/v1/contacts/export.csv?${new URLSearchParams(views[2].filters)}`, { headers: { authorization: `Bearer ${ws.accessToken}` } });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Vera Vip');
    const searched = await h.app.request('/v1/contacts/export.csv?q=Nina', { headers: { authorization: `Bearer ${ws.accessToken}` } });
    expect((await searched.text()).trim().split('\n').slice(1)).toEqual([expect.stringContaining('Nina Normal')]);
  });

  it('refuses bad input with the field named, deletes only its own or as a manager, and keeps workspaces apart', async () => {
    const ws = await h.signup('views-guards');
    const call = (method: string, path: string, body?: unknown, token = ws.accessToken) => h.call(method, path, body, token);
    const bad = async (body: unknown, field: string, status = 400) => {
      const r = await call('POST', '/v1/contact-views', body);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    };
    await bad({ name: 'Empty', filters: {} }, 'filters');
    await bad({ name: '', filters: { tag: 'vip' } }, 'name');
    await bad({ name: 'Bad attribute', filters: { attribute: 'no colon' } }, 'filters.attribute');
    await bad({ name: 'Bad owner', filters: { ownerId: 'me' } }, 'filters.ownerId');
    const exportBad = await h.app.request('/v1/contacts/export.csv?ownerId=me', { headers: { authorization: `Bearer ${ws.accessToken}` } });
    expect(exportBad.status).toBe(400);
    const ownerView = (await call('POST', '/v1/contact-views', { name: 'VIPs', filters: { tag: 'vip' } })).body.view.id as string;
    await bad({ name: 'VIPs', filters: { tag: 'other' } }, 'name', 409);

    const agent = await member(ws.accessToken, 'agent');
    const agentView = (await call('POST', '/v1/contact-views', { name: 'Mine', filters: { tag: 'x' } }, agent)).body.view.id as string;
    expect((await call('DELETE', `/v1/contact-views/${ownerView}`, undefined, agent)).status).toBe(403);
    expect((await call('DELETE', `/v1/contact-views/${agentView}`, undefined, agent)).status).toBe(204);
    const manager = await member(ws.accessToken, 'manager');
    const other = await h.signup('views-other');
    expect((await call('DELETE', `/v1/contact-views/${ownerView}`, undefined, other.accessToken)).status).toBe(404);
    expect((await call('GET', '/v1/contact-views', undefined, other.accessToken)).body.views).toEqual([]);
    expect((await call('DELETE', `/v1/contact-views/${ownerView}`, undefined, manager)).status).toBe(204);
    expect((await call('GET', '/v1/contact-views')).body.views).toEqual([]);
  });
});
