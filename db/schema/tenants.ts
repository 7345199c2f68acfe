import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** How the website widget looks to visitors; public, since the widget reads it with only its key. */
export interface WidgetSettings {
  color: string;
  greeting: string;
  /** Ask for name and email before the first message. */
  preChatForm: boolean;
}

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** Public key that the website widget presents; it identifies the tenant, it grants nothing else. */
  widgetKey: text('widget_key').notNull().unique(),
  /** Inactivity after which an open conversation closes by itself. */
  idleAutoCloseMinutes: integer('idle_auto_close_minutes').notNull().default(24 * 60),
  widgetSettings: jsonb('widget_settings').$type<Partial<WidgetSettings>>().notNull().default({}),
  /** IANA zone for automation delays "until 9:00" and business hours. */
  timezone: text('timezone').notNull().default('UTC'),
  /** Open days (0 = Sunday) and minutes of the day; null is Monday to Friday, 9:00 to 17:00. */
  businessHours: jsonb('business_hours').$type<{ days: number[]; openMinute: number; closeMinute: number }>(),
  /** A resolved ticket closes by itself after this many days, unless it is reopened. */
  ticketAutoCloseDays: integer('ticket_auto_close_days').notNull().default(7),
  /** Ask the customer to rate a resolved ticket (1–5) on its conversation's channel. */
  csatEnabled: boolean('csat_enabled').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
