import { date, index, integer, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.js';
import { tenants } from './tenants.js';
import { users } from './users.js';

export const stageKind = pgEnum('stage_kind', ['open', 'won', 'lost']);

export const pipelines = pgTable('pipelines', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const pipelineStages = pgTable(
  'pipeline_stages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    pipelineId: uuid('pipeline_id').notNull().references(() => pipelines.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    kind: stageKind('kind').notNull().default('open'),
  },
  (t) => [uniqueIndex('pipeline_stages_name_key').on(t.pipelineId, t.name)],
);

export const leads = pgTable(
  'leads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    pipelineId: uuid('pipeline_id').notNull().references(() => pipelines.id, { onDelete: 'cascade' }),
    stageId: uuid('stage_id').notNull().references(() => pipelineStages.id),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    value: numeric('value', { precision: 14, scale: 2 }),
    currency: text('currency').notNull().default('EUR'),
    source: text('source'),
    /** 0–100: how likely the deal is, by hand or by an automation. */
    score: integer('score'),
    expectedCloseDate: date('expected_close_date'),
    tags: text('tags').array().notNull().default([]),
    /** Order within its stage on the board. */
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('leads_contact_idx').on(t.tenantId, t.contactId), index('leads_stage_idx').on(t.stageId), index('leads_board_idx').on(t.pipelineId, t.stageId, t.position)],
);

/** Who moved a lead where, and when; the AI agent's moves carry its tool call. */
export const leadStageChanges = pgTable('lead_stage_changes', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  leadId: uuid('lead_id').notNull().references(() => leads.id, { onDelete: 'cascade' }),
  fromStageId: uuid('from_stage_id'),
  toStageId: uuid('to_stage_id').notNull(),
  actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
  toolCallId: uuid('tool_call_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
},
  // Reports count wins and losses by when they happened.
  (t) => [index('lead_stage_changes_tenant_created_idx').on(t.tenantId, t.createdAt)],
);
