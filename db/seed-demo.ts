import { eq } from 'drizzle-orm';
import { hashPassword } from '../api/auth/passwords.js';
import type { Database } from './client.js';
import { tenants, users } from './schema/index.js';

export const DEMO = {
  workspace: 'Northwind Outfitters',
  email: 'demo@switchboard.local',
  password: 'switchboard-demo',
  widgetKey: 'wk_demo_northwind',
} as const;

/** The demo workspace and its owner login; safe to run at every start. */
export async function seedDemo(db: Database): Promise<typeof DEMO> {
  await db.transaction(async (tx) => {
    let [tenant] = await tx.select().from(tenants).where(eq(tenants.widgetKey, DEMO.widgetKey));
    if (!tenant) [tenant] = await tx.insert(tenants).values({ name: DEMO.workspace, widgetKey: DEMO.widgetKey }).returning();
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, DEMO.email));
    if (!user) {
      await tx.insert(users).values({ tenantId: tenant.id, email: DEMO.email, name: 'Demo Owner', role: 'owner', passwordHash: await hashPassword(DEMO.password) });
    }
  });
  return DEMO;
}
