import { sql } from 'drizzle-orm';
import { index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.js';
import { messages } from './messages.js';
import { tenants } from './tenants.js';
import { users } from './users.js';

/** The channels a tenant connects to a provider account (the widget needs no connection). */
export const CONNECTION_KINDS = ['whatsapp', 'sms', 'email', 'instagram', 'telegram', 'chatwoot'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];
export const connectionKind = pgEnum('connection_kind', CONNECTION_KINDS);

/**
 * A tenant's account on one provider. Webhooks reach it at a URL naming its id; its secrets (auth
 * tokens, app secrets, bot tokens) are sealed together as one JSON object, with the tenant and the
 * connection id as AAD. A connection with no secrets sends through the sandbox transport.
 */
export const channelConnections = pgTable(
  'channel_connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    kind: connectionKind('kind').notNull(),
    name: text('name').notNull(),
    /** Settings that are not secret, per kind (sender number, from address, page id, templates, …). */
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    /** Null: the sandbox transport, which records each send as sent. */
    sealedSecrets: text('sealed_secrets'),
    /** What the API shows in place of each secret: `…` and its last four characters. */
    secretHints: jsonb('secret_hints').$type<Record<string, string>>().notNull().default({}),
    status: text('status').$type<'active' | 'disconnected'>().notNull().default('active'),
    lastTestedAt: timestamp('last_tested_at', { withTimezone: true }),
    lastTestResult: jsonb('last_test_result').$type<{ ok: boolean; message: string }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('channel_connections_tenant_idx').on(t.tenantId, t.kind)],
);

export const consentAction = pgEnum('consent_action', ['opt_out', 'opt_in']);

/** Every marketing opt-out and opt-in, with the word that caused it: the record regulators ask for. */
export const consentEvents = pgTable(
  'consent_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    action: consentAction('action').notNull(),
    /** The keyword the customer sent (STOP, START, …), or `api` for a change made by a user. */
    source: text('source').notNull(),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('consent_events_contact_idx').on(t.contactId, t.channel, t.createdAt),
    // One consent change per message, however often the provider delivers it.
    uniqueIndex('consent_events_message_key').on(t.messageId).where(sql`${t.messageId} is not null`),
  ],
);

/** One row per merge: which records went into which, by whom, and what moved. */
export const contactMerges = pgTable(
  'contact_merges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    survivorId: uuid('survivor_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    mergedIds: uuid('merged_ids').array().notNull(),
    mergedBy: uuid('merged_by').references(() => users.id, { onDelete: 'set null' }),
    /** Counts of what moved: identities, conversations, tickets, leads. */
    moved: jsonb('moved').$type<Record<string, number>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('contact_merges_survivor_idx').on(t.survivorId)],
);
