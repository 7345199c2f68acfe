import { eq } from 'drizzle-orm';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { saveDocument } from '../activities/knowledge/store.js';
import { hashPassword } from '../api/auth/passwords.js';
import type { Database } from './client.js';
import { kbDocuments, tenants, users } from './schema/index.js';

const DEMO_KB = fileURLToPath(new URL('./demo-kb/', import.meta.url));

export const DEMO = {
  workspace: 'Northwind Outfitters',
  email: 'demo@switchboard.local',
  password: 'switchboard-demo',
  widgetKey: 'wk_demo_northwind',
} as const;

/** The demo workspace, its owner login and a small help centre; safe to run at every start. */
export async function seedDemo(db: Database): Promise<typeof DEMO> {
  const tenantId = await db.transaction(async (tx) => {
    let [tenant] = await tx.select().from(tenants).where(eq(tenants.widgetKey, DEMO.widgetKey));
    if (!tenant) [tenant] = await tx.insert(tenants).values({ name: DEMO.workspace, widgetKey: DEMO.widgetKey }).returning();
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, DEMO.email));
    if (!user) {
      await tx.insert(users).values({ tenantId: tenant.id, email: DEMO.email, name: 'Demo Owner', role: 'owner', passwordHash: await hashPassword(DEMO.password) });
    }
    return tenant.id;
  });
  const [existing] = await db.select({ id: kbDocuments.id }).from(kbDocuments).where(eq(kbDocuments.tenantId, tenantId)).limit(1);
  if (!existing) {
    for (const file of readdirSync(DEMO_KB).filter((f) => f.endsWith('.md'))) {
      const body = readFileSync(DEMO_KB + file, 'utf8');
      await saveDocument(db, tenantId, { title: /^#\s+(.+)$/m.exec(body)?.[1] ?? file, body, format: 'markdown' });
    }
  }
  return DEMO;
}
