import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

describe('contacts and accounts', () => {
  it('creates, finds (fuzzy on names), edits with typed attributes, converts to an account and deletes', async () => {
    const ws = await h.signup('contacts');
    const call = (method: string, path: string, body?: unknown) => h.call(method, path, body, ws.accessToken);
    expect((await call('PUT', '/v1/contact-attributes', { attributes: [{ key: 'plan', label: 'Plan', type: 'select', options: ['free', 'pro'] }, { key: 'seats', label: 'Seats', type: 'number' }] })).status).toBe(200);
    const jon = await call('POST', '/v1/contacts', { name: 'Jonathan Smith', email: 'Jon@Example.com', phone: '+31 6 1234 5678', tags: ['vip'], attributes: { plan: 'pro', seats: 5, company: 'Acme' } });
    expect(jon.status, JSON.stringify(jon.body)).toBe(201);
    expect(jon.body.contact).toMatchObject({ email: 'jon@example.com', attributes: { plan: 'pro', seats: 5 } });
    await call('POST', '/v1/contacts', { name: 'Maria Garcia', email: 'maria@example.org' });

    const find = async (query: string) => (await call('GET', `/v1/contacts?${query}`)).body.contacts.map((x: { name: string }) => x.name);
    expect(await find('q=Jonathn')).toEqual(['Jonathan Smith']);
    expect(await find('q=smith')).toEqual(['Jonathan Smith']);
    expect(await find('q=maria%40')).toEqual(['Maria Garcia']);
    expect(await find('q=612345')).toEqual(['Jonathan Smith']);
    // The number as written at home, with its trunk 0; its ending; an address's start in capitals.
    expect(await find(`q=${encodeURIComponent('06 1234 5678')}`)).toEqual(['Jonathan Smith']);
    expect(await find('q=345678')).toEqual(['Jonathan Smith']);
    expect(await find('q=JON%40EX')).toEqual(['Jonathan Smith']);
    expect(await find('q=on%40example')).toEqual([]);
    expect(await find('tag=vip')).toEqual(['Jonathan Smith']);
    expect(await find('attribute=plan:pro')).toEqual(['Jonathan Smith']);
    expect(await find('q=100%25')).toEqual([]);

    // The same email or phone is another contact's: a 409 naming it.
    const dup = await call('POST', '/v1/contacts', { name: 'Jon again', phone: '0031-6-12345678'.replace('0031-', '+31') });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields[0].field).toBe('phone');
    const edited = await call('PATCH', `/v1/contacts/${jon.body.contact.id}`, { attributes: { seats: 7, plan: null } });
    expect(edited.body.contact.attributes).toEqual({ seats: 7, company: 'Acme' });
    const badType = await call('PATCH', `/v1/contacts/${jon.body.contact.id}`, { attributes: { seats: 'many', plan: 'gold' } });
    expect(badType.status).toBe(400);
    expect(badType.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['attributes.plan', 'attributes.seats']);

    const converted = await call('POST', `/v1/contacts/${jon.body.contact.id}/convert-to-account`, {});
    expect(converted.status).toBe(201);
    expect(converted.body.account).toMatchObject({ name: 'Acme', domain: 'example.com' });
    expect(converted.body.contact.accountId).toBe(converted.body.account.id);
    expect(await find(`accountId=${converted.body.account.id}`)).toEqual(['Jonathan Smith']);
    expect((await call('POST', `/v1/contacts/${jon.body.contact.id}/convert-to-account`, {})).status).toBe(409);

    expect((await call('DELETE', `/v1/contacts/${jon.body.contact.id}`)).status).toBe(204);
    expect(await find('q=Jonathan')).toEqual([]);
  });

  it('refuses bad input naming the field, other workspaces, and changes by roles that may not', async () => {
    const ws = await h.signup('contacts-bad');
    const call = (method: string, path: string, body?: unknown, token = ws.accessToken) => h.call(method, path, body, token);
    const bad = async (method: string, path: string, body: unknown, field: string) => {
      const r = await call(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    };
    await bad('POST', '/v1/contacts', {}, 'body');
    await bad('POST', '/v1/contacts', { email: 'not an email' }, 'email');
    await bad('POST', '/v1/contacts', { phone: 'call me' }, 'phone');
    await bad('POST', '/v1/contacts', { name: 'x', attributes: { 'bad key': 1 } }, 'attributes.bad key');
    await bad('POST', '/v1/contacts', { name: 'x', accountId: randomUUID() }, 'accountId');
    await bad('GET', '/v1/contacts?limit=0', undefined, 'limit');
    await bad('GET', '/v1/contacts?attribute=plan', undefined, 'attribute');
    await bad('PUT', '/v1/contact-attributes', { attributes: [{ key: 'tier', label: 'Tier', type: 'select' }] }, 'attributes.0.options');
    const mine = await call('POST', '/v1/contacts', { name: 'Mine' });
    const other = await h.signup('contacts-other');
    expect((await call('PATCH', `/v1/contacts/${mine.body.contact.id}`, { name: 'theirs' }, other.accessToken)).status).toBe(404);
    expect((await call('DELETE', `/v1/contacts/${mine.body.contact.id}`, undefined, other.accessToken)).status).toBe(404);
    expect((await call('GET', '/v1/contacts?q=Mine', undefined, other.accessToken)).body.contacts).toEqual([]);
    const inv = await call('POST', '/v1/invitations', { email: `agent-${randomUUID().slice(0, 8)}@example.com`, role: 'agent' });
    const agent = (await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Agent', password: 'a long password' })).body.accessToken as string;
    expect((await call('PUT', '/v1/contact-attributes', { attributes: [] }, agent)).status).toBe(403);
    expect((await call('DELETE', `/v1/contacts/${mine.body.contact.id}`, undefined, agent)).status).toBe(403);
    expect((await call('PATCH', `/v1/contacts/${mine.body.contact.id}`, { tags: ['called'] }, agent)).status).toBe(200);
  });
});
