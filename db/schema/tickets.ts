import { index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.js';
import { conversations } from './conversations.js';
import { tenants } from './tenants.js';
import { users } from './users.js';

export const TICKET_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export const TICKET_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export const ticketStatus = pgEnum('ticket_status', TICKET_STATUSES);
export const ticketPriority = pgEnum('ticket_priority', TICKET_PRIORITIES);
export const ticketSource = pgEnum('ticket_source', ['conversation', 'ai', 'escalation', 'automation', 'manual']);

/** A support ticket. The AI agent files them (tool or escalation rule); ticket workflows come later. */
export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    subject: text('subject').notNull(),
    description: text('description').notNull().default(''),
    status: ticketStatus('status').notNull().default('new'),
    priority: ticketPriority('priority').notNull().default('normal'),
    team: text('team'),
    tags: text('tags').array().notNull().default([]),
    source: ticketSource('source').notNull(),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tickets_tenant_status_idx').on(t.tenantId, t.status, t.createdAt), index('tickets_conversation_idx').on(t.conversationId)],
);
