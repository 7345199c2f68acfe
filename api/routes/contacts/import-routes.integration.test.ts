import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { contactImports, contacts } from '../../../db/schema/index.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const upload = (token: string, csv: string) => h.call('POST', '/v1/contacts/imports', csv, token, { 'content-type': 'text/csv' });
const MAPPING = { 'Full name': 'name', 'E-mail': 'email', Phone: 'phone', Tags: 'tags', Plan: 'attributes.plan' };

describe('contact CSV import', () => {
  it('maps, previews, imports with deduplication, reports bad rows, and exports', async () => {
    const ws = await h.signup('import');
    const call = (method: string, path: string, body?: unknown) => h.call(method, path, body, ws.accessToken);
    await call('POST', '/v1/contacts', { name: 'Existing Erin', email: 'erin@example.com', tags: ['old'] });
    const csv = [
      'Full name,E-mail,Phone,Tags,Plan',
      '"Lopez, Ana",ANA@example.com,+34 612 345 678,vip;spain,pro',
      'Erin Updated,erin@example.com,,new,free',
      'Ana again,ana@example.com,,dup,',
      'Broken,not-an-email,,,',
      ',,,,',
      ',,,x,',
      'Bo,,+1 (555) 010-9999,,',
    ].join('\r\n');
    const up = await upload(ws.accessToken, csv);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.import).toMatchObject({ status: 'uploaded', columns: ['Full name', 'E-mail', 'Phone', 'Tags', 'Plan'], rowsTotal: 7 });
    expect(up.body.sample[0]).toEqual(['Lopez, Ana', 'ANA@example.com', '+34 612 345 678', 'vip;spain', 'pro']);
    const id = up.body.import.id as string;

    const preview = await call('POST', `/v1/contacts/imports/${id}/preview`, { mapping: MAPPING });
    expect(preview.body).toMatchObject({ rows: 7, wouldCreate: 2, wouldUpdate: 1 });
    expect(preview.body.errors).toEqual([
      { row: 5, message: '"not-an-email" in column E-mail is not an email address' },
      { row: 6, message: 'the row has no name, email or phone' },
      { row: 7, message: 'the row has no name, email or phone' },
    ]);
    expect((await h.db.select().from(contacts).where(eq(contacts.tenantId, ws.tenant.id)))).toHaveLength(1);

    expect((await call('POST', `/v1/contacts/imports/${id}/start`, { mapping: MAPPING })).status).toBe(202);
    const done = await eventually(async () => {
      const r = await call('GET', `/v1/contacts/imports/${id}`);
      return r.body.import.status === 'done' && r.body.import;
    }, 'the import');
    expect(done).toMatchObject({ rowsDone: 7, created: 2, updated: 1, failed: 3, rowsTotal: 7 });
    const all = await call('GET', '/v1/contacts?limit=10');
    const byEmail = Object.fromEntries(all.body.contacts.map((c: { email: string | null; name: string }) => [c.email ?? c.name, c]));
    expect(byEmail['ana@example.com']).toMatchObject({ name: 'Lopez, Ana', phone: '+34 612 345 678', attributes: { plan: 'pro' } });
    expect(byEmail['ana@example.com'].tags.sort()).toEqual(['dup', 'spain', 'vip']);
    expect(byEmail['erin@example.com']).toMatchObject({ name: 'Existing Erin', attributes: { plan: 'free' } });
    expect(byEmail['erin@example.com'].tags.sort()).toEqual(['new', 'old']);
    expect(byEmail.Bo).toMatchObject({ phone: '+1 (555) 010-9999' });

    const report = await h.app.request(`/v1/contacts/imports/${id}/errors.csv`, { headers: { authorization: `Bearer ${ws.accessToken}` } });
    expect((await report.text()).split('\n')).toEqual([
      'row,error',
      '5,"""not-an-email"" in column E-mail is not an email address"',
      '6,"the row has no name, email or phone"',
      '7,"the row has no name, email or phone"',
      '',
    ]);
    const exported = await h.app.request('/v1/contacts/export.csv?tag=vip', { headers: { authorization: `Bearer ${ws.accessToken}` } });
    const lines = (await exported.text()).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"Lopez, Ana",ana@example.com');
    expect((await call('POST', `/v1/contacts/imports/${id}/start`, { mapping: MAPPING })).status).toBe(409);
  });

  it('resumes where it stopped when its workflow is cut off, importing each row once', async () => {
    const ws = await h.signup('import-resume');
    const rows = Array.from({ length: 40_000 }, (_, i) => `Person ${i},person${i}@example.com`);
    const up = await upload(ws.accessToken, ['name,email', ...rows].join('\n'));
    const id = up.body.import.id as string;
    await h.call('POST', `/v1/contacts/imports/${id}/start`, { mapping: { name: 'name', email: 'email' } }, ws.accessToken);
    const handle = h.temporal.workflow.getHandle(`import:${ws.tenant.id}:${id}`);
    await eventually(async () => (await h.db.select().from(contactImports).where(eq(contactImports.id, id)))[0].rowsDone >= 5000, 'the first chunk');
    // A crash in the middle: the run is gone, the committed chunks stay.
    await handle.terminate('simulated crash').catch(() => undefined);
    const [cut] = await h.db.select().from(contactImports).where(eq(contactImports.id, id));
    // Eight chunks: the first few are in, the rest are not.
    expect(cut.status).toBe('running');
    expect(cut.rowsDone % 5000).toBe(0);
    await h.temporal.workflow.start('contactImportWorkflow', { workflowId: `import:${ws.tenant.id}:${id}:resumed`, taskQueue: h.taskQueue, args: [{ tenantId: ws.tenant.id, importId: id }] });
    await eventually(async () => (await h.db.select().from(contactImports).where(eq(contactImports.id, id)))[0].status === 'done', 'the resumed import', 60_000);
    const [final] = await h.db.select().from(contactImports).where(eq(contactImports.id, id));
    expect(final).toMatchObject({ rowsDone: 40_000, created: 40_000, updated: 0, failed: 0 });
    expect(await h.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.tenantId, ws.tenant.id))).toHaveLength(40_000);
  });

  it('refuses what it cannot import, naming the field, and other workspaces', async () => {
    const ws = await h.signup('import-bad');
    expect((await h.call('POST', '/v1/contacts/imports', 'a,b\n1,2', ws.accessToken, { 'content-type': 'application/json' })).status).toBe(415);
    const noHeader = await upload(ws.accessToken, '\n\n');
    expect(noHeader.status).toBe(400);
    const dupCols = await upload(ws.accessToken, 'name,name\nx,y');
    expect(dupCols.body.error.message).toMatch(/same name/);
    const up = await upload(ws.accessToken, 'name,email\nA,a@example.com');
    const id = up.body.import.id as string;
    const unknown = await h.call('POST', `/v1/contacts/imports/${id}/start`, { mapping: { nope: 'name' } }, ws.accessToken);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].field).toBe('mapping.nope');
    const noIdentity = await h.call('POST', `/v1/contacts/imports/${id}/start`, { mapping: { name: 'tags' } }, ws.accessToken);
    expect(noIdentity.status).toBe(400);
    const badTarget = await h.call('POST', `/v1/contacts/imports/${id}/start`, { mapping: { name: 'salary' } }, ws.accessToken);
    expect(badTarget.body.error.fields[0].field).toBe('mapping.name');
    const other = await h.signup('import-other');
    expect((await h.call('GET', `/v1/contacts/imports/${id}`, undefined, other.accessToken)).status).toBe(404);
    expect((await h.call('POST', `/v1/contacts/imports/${id}/start`, { mapping: { name: 'name' } }, other.accessToken)).status).toBe(404);
  });
});
