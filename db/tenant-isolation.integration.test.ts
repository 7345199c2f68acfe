import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { connectDb, withTenant, type DbHandle, type Tx } from './client.js';
import { contacts, conversations, tenants, users } from './schema/index.js';

let h: DbHandle;
let a: { tenant: string; contact: string };
let b: { tenant: string; contact: string };

async function seedTenant(name: string) {
  const [tenant] = await h.db.insert(tenants).values({ name, widgetKey: `wk_${name}_${Date.now()}` }).returning();
  const [contact] = await h.db.insert(contacts).values({ tenantId: tenant.id, name: `${name} customer` }).returning();
  await h.db.insert(users).values({ tenantId: tenant.id, email: `${name}-${Date.now()}@example.com`, name, role: 'owner' });
  await h.db.insert(conversations).values({ tenantId: tenant.id, contactId: contact.id, channel: 'widget' });
  return { tenant: tenant.id, contact: contact.id };
}

/** The database's own message: drizzle wraps it as the cause of a "Failed query" error. */
async function pgError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
  }
  return 'no error';
}

beforeAll(async () => {
  h = connectDb(inject('databaseUrl'), { max: 2 });
  a = await seedTenant('rls-a');
  b = await seedTenant('rls-b');
});
afterAll(async () => h?.close());

describe('row-level security', () => {
  it('shows a tenant transaction only its own rows, on every tenant table', async () => {
    await withTenant(h.db, a.tenant, async (tx) => {
      expect((await tx.select().from(tenants)).map((t) => t.id)).toEqual([a.tenant]);
      expect((await tx.select().from(contacts)).every((c) => c.tenantId === a.tenant)).toBe(true);
      expect((await tx.select().from(users)).every((u) => u.tenantId === a.tenant)).toBe(true);
      expect((await tx.select().from(conversations)).map((c) => c.contactId)).toEqual([a.contact]);
    });
  });

  it('scopes the first statements, though they are issued before the scope is confirmed', async () => {
    const [[who], seen] = await withTenant(h.db, a.tenant, (tx) =>
      Promise.all([
        tx.execute<{ role: string; tenant: string }>(sql`select current_user as role, current_setting('app.tenant_id') as tenant`),
        tx.select({ id: tenants.id }).from(tenants),
      ]),
    );
    expect(who).toEqual({ role: 'switchboard_tenant', tenant: a.tenant });
    expect(seen).toEqual([{ id: a.tenant }]);
  });

  it('keeps a reused plan to the tenant of each transaction, and plans per call again after it', async () => {
    const mode = (tx: Tx) =>
      tx.execute<{ mode: string }>(sql`select current_setting('plan_cache_mode') as mode`).then(([r]) => r.mode);
    // Past five executions PostgreSQL may keep one plan for the statement: it must still apply each
    // transaction's own tenant, which row-level security reads when the plan runs.
    for (let i = 0; i < 12; i++) {
      const t = i % 2 ? b : a;
      const [seen, inside] = await withTenant(h.db, t.tenant, (tx) => Promise.all([tx.select({ tenantId: contacts.tenantId }).from(contacts).where(sql`${contacts.id} = ${a.contact} or ${contacts.id} = ${b.contact}`), mode(tx)]), {
        reusePlans: true,
      });
      expect(seen).toEqual([{ tenantId: t.tenant }]);
      expect(inside).toBe('auto');
    }
    expect(await withTenant(h.db, a.tenant, mode)).toBe('force_custom_plan');
  });

  it('refuses to write a row for another tenant, even as the first statement', async () => {
    expect(await pgError(withTenant(h.db, a.tenant, (tx) => tx.insert(contacts).values({ tenantId: b.tenant, name: 'smuggled' })))).toMatch(
      /row-level security/,
    );
    await expect(
      withTenant(h.db, a.tenant, (tx) => tx.update(contacts).set({ name: 'renamed' }).where(sql`${contacts.id} = ${b.contact}`).returning()),
    ).resolves.toEqual([]);
  });

  it('shows nothing when the tenant role has no tenant set', async () => {
    const rows = await h.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'switchboard_tenant', true)`);
      return tx.select().from(contacts);
    });
    expect(rows).toEqual([]);
  });

  it("makes the one-round-trip ingest refuse another tenant's contact", async () => {
    expect(
      await pgError(h.db.execute(sql`select * from ingest_inbound_message_as_tenant(${a.tenant}, ${b.contact}, 'widget', ${'x-' + Date.now()}, 'hi')`)),
    ).toMatch(/not found in tenant/);
    const [ok] = await h.db.execute<{ duplicate: boolean }>(
      sql`select * from ingest_inbound_message_as_tenant(${a.tenant}, ${a.contact}, 'widget', ${'y-' + Date.now()}, 'hi')`,
    );
    expect(ok.duplicate).toBe(false);
  });
});
