import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.js';
import { conversations } from './conversations.js';
import { teams } from './teams.js';
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
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    // The SLA's clock, kept by the ticket's SLA workflow: when each target is due, met, or breached.
    firstResponseDueAt: timestamp('first_response_due_at', { withTimezone: true }),
    firstRespondedAt: timestamp('first_responded_at', { withTimezone: true }),
    firstResponseBreachedAt: timestamp('first_response_breached_at', { withTimezone: true }),
    resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolutionBreachedAt: timestamp('resolution_breached_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    // The satisfaction survey sent when it was resolved (when the workspace asks), and the answer: 1 to 5.
    csatRequestedAt: timestamp('csat_requested_at', { withTimezone: true }),
    csatScore: integer('csat_score'),
    csatAnsweredAt: timestamp('csat_answered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tickets_tenant_status_idx').on(t.tenantId, t.status, t.createdAt), index('tickets_conversation_idx').on(t.conversationId)],
);

/** Every change to a ticket (status, priority, assignment, SLA warnings and breaches), with who made it. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    data: jsonb('data').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.createdAt)],
);

/** Targets per priority: first response and resolution, in minutes, on the business calendar or around the clock. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    priority: ticketPriority('priority').notNull(),
    firstResponseMinutes: integer('first_response_minutes').notNull(),
    resolutionMinutes: integer('resolution_minutes').notNull(),
    /** Warn this long before a target is breached. */
    warnBeforeMinutes: integer('warn_before_minutes').notNull().default(15),
    businessHours: boolean('business_hours').notNull().default(true),
  },
  (t) => [uniqueIndex('sla_policies_priority_key').on(t.tenantId, t.priority)],
);

export type MacroActions = {
  status?: (typeof TICKET_STATUSES)[number];
  priority?: (typeof TICKET_PRIORITIES)[number];
  addTags?: string[];
  removeTags?: string[];
  assigneeId?: string | null;
};

/** A saved reply with variables, and ticket changes, applied to a ticket in one click. */
export const macros = pgTable(
  'macros',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** With `{{contact.name}}`, `{{ticket.subject}}`, `{{ticket.id}}` and `{{agent.name}}`. */
    reply: text('reply'),
    actions: jsonb('actions').$type<MacroActions>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('macros_tenant_name_key').on(t.tenantId, t.name)],
);
