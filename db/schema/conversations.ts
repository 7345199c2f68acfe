import { sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { CONVERSATION_OWNERS, CONVERSATION_STATUSES } from '../../temporal/contracts.js';
import { channelConnections } from './channels.js';
import { contacts } from './contacts.js';
import { tenants } from './tenants.js';
import { teams } from './teams.js';
import { users } from './users.js';

export const conversationStatus = pgEnum('conversation_status', CONVERSATION_STATUSES);
export const conversationOwner = pgEnum('conversation_owner', CONVERSATION_OWNERS);

/** The read model of a conversation. The conversation workflow is the only writer of status, owner and assignee. */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    /** The provider account the conversation runs on; null for the widget and the sandbox. */
    connectionId: uuid('connection_id').references(() => channelConnections.id, { onDelete: 'set null' }),
    /** The customer's address on the channel: an E.164 phone, an email, an Instagram or Telegram id. */
    address: text('address'),
    status: conversationStatus('status').notNull().default('open'),
    owner: conversationOwner('owner').notNull().default('ai'),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    snoozedUntil: timestamp('snoozed_until', { withTimezone: true }),
    /** Set by an escalation: which team should pick the conversation up, and how urgently. */
    team: text('team'),
    priority: text('priority'),
    /** The team the conversation is assigned to (by an agent, or resolved from an escalation's team name). */
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    /** Free-form labels agents filter the inbox by; written by the API, not by the workflow. */
    labels: text('labels').array().notNull().default(sql`'{}'::text[]`),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('conversations_tenant_updated_idx').on(t.tenantId, t.updatedAt),
    // Reports count conversations by when they started.
    index('conversations_tenant_created_idx').on(t.tenantId, t.createdAt),
    index('conversations_contact_channel_idx').on(t.tenantId, t.contactId, t.channel),
    // The inbox lists newest activity first, 10,000s of rows per tenant.
    index('conversations_tenant_last_message_idx').on(t.tenantId, t.lastMessageAt.desc().nullsLast(), t.id),
    index('conversations_labels_idx').using('gin', t.labels),
  ],
);

/** A website visitor's session with the widget; the token itself is never stored, only its hash. */
export const widgetSessions = pgTable(
  'widget_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('widget_sessions_tenant_visitor_idx').on(t.tenantId, t.visitorId)],
);
