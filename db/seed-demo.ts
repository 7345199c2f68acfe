import { eq } from 'drizzle-orm';
import { fileURLToPath } from 'node:url';
import { saveDocument } from '../activities/knowledge/store.js';
import { hashPassword } from '../api/auth/passwords.js';
import type { Database } from './client.js';
import { readKbFolder } from './kb-folder.js';
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
  // Hashing is deliberately slow: not while a transaction holds a connection.
  const passwordHash = await hashPassword(DEMO.password);
  const tenantId = await db.transaction(async (tx) => {
    let [tenant] = await tx.select().from(tenants).where(eq(tenants.widgetKey, DEMO.widgetKey));
    if (!tenant) [tenant] = await tx.insert(tenants).values({ name: DEMO.workspace, widgetKey: DEMO.widgetKey }).returning();
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, DEMO.email));
    if (!user) {
      await tx.insert(users).values({ tenantId: tenant.id, email: DEMO.email, name: 'Demo Owner', role: 'owner', passwordHash });
    }
    return tenant.id;
  });
  const [existing] = await db.select({ id: kbDocuments.id }).from(kbDocuments).where(eq(kbDocuments.tenantId, tenantId)).limit(1);
  if (!existing) {
    for (const { title, body, format } of readKbFolder(DEMO_KB)) await saveDocument(db, tenantId, { title, body, format });
  }
  return DEMO;
}
