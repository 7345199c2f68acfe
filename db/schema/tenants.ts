import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** Public key that the website widget presents; it identifies the tenant, it grants nothing else. */
  widgetKey: text('widget_key').notNull().unique(),
  /** Inactivity after which an open conversation closes by itself. */
  idleAutoCloseMinutes: integer('idle_auto_close_minutes').notNull().default(24 * 60),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
