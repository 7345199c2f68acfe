import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.js';
import { conversations } from './conversations.js';
import { tenants } from './tenants.js';
import { users } from './users.js';

/** The graph JSON as workflows/automation/definition.ts defines it; the API validates it, the database stores it. */
export type DefinitionJson = { nodes: unknown[]; edges: unknown[] };

/**
 * An automation: its editable draft, and the published version its triggers run. `trigger_type`
 * and `trigger_config` copy the active version's trigger node, so matching an event reads one row.
 */
export const automations = pgTable(
  'automations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    draft: jsonb('draft').$type<DefinitionJson>().notNull().default({ nodes: [], edges: [] }),
    /** Bumped by every draft save: an autosave from a stale tab is refused rather than overwriting. */
    draftRevision: integer('draft_revision').notNull().default(0),
    /** Paused automations keep their versions but no trigger starts them. */
    enabled: boolean('enabled').notNull().default(true),
    activeVersionId: uuid('active_version_id'),
    triggerType: text('trigger_type'),
    triggerConfig: jsonb('trigger_config').$type<Record<string, unknown>>(),
    /** The secret in the per-automation webhook URL. */
    webhookToken: text('webhook_token').notNull(),
    /** The Temporal Schedule that fires a schedule trigger, while one is active. */
    scheduleId: text('schedule_id'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('automations_tenant_idx').on(t.tenantId, t.createdAt),
    index('automations_trigger_idx').on(t.tenantId, t.triggerType).where(sql`${t.activeVersionId} is not null and ${t.enabled}`),
    uniqueIndex('automations_webhook_token_key').on(t.webhookToken),
  ],
);

/** A published, immutable snapshot of an automation's graph. Runs keep the version they started with. */
export const automationVersions = pgTable(
  'automation_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    automationId: uuid('automation_id').notNull().references(() => automations.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<DefinitionJson>().notNull(),
    triggerType: text('trigger_type').notNull(),
    note: text('note').notNull().default(''),
    publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('automation_versions_number_key').on(t.automationId, t.version)],
);

export const AUTOMATION_RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'stopped'] as const;
export type AutomationRunStatus = (typeof AUTOMATION_RUN_STATUSES)[number];

/**
 * One run: one trigger event for one automation (unique), whatever re-deliveries happen. The
 * trigger payload lives here; the workflow gets the run's ids and reads it through an activity.
 */
export const automationRuns = pgTable(
  'automation_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    automationId: uuid('automation_id').notNull().references(() => automations.id, { onDelete: 'cascade' }),
    /** Null for a test run of the draft, whose graph is kept in `test_definition`. */
    versionId: uuid('version_id').references(() => automationVersions.id, { onDelete: 'cascade' }),
    testDefinition: jsonb('test_definition').$type<DefinitionJson>(),
    /** What fired it: `message:<id>`, `event:<id>`, `webhook:<id>`, `schedule:<time>`, `test:<id>`. */
    eventKey: text('event_key').notNull(),
    triggerType: text('trigger_type').notNull(),
    trigger: jsonb('trigger').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status').$type<AutomationRunStatus>().notNull().default('queued'),
    /** While waiting: what for (`reply`, `approval`, `delay`). A customer's reply is routed to a run waiting for one. */
    waitingFor: text('waiting_for'),
    /** Where a waiting approval step is, for the approve/reject update. */
    waitingNodeId: text('waiting_node_id'),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    workflowId: text('workflow_id').notNull(),
    temporalRunId: text('temporal_run_id'),
    error: text('error'),
    steps: integer('steps').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('automation_runs_event_key').on(t.automationId, t.eventKey),
    index('automation_runs_list_idx').on(t.tenantId, t.automationId, t.createdAt),
    index('automation_runs_waiting_reply_idx').on(t.conversationId).where(sql`${t.waitingFor} = 'reply'`),
  ],
);

/** Each node a run passed through, in order, with what went in and came out. */
export const automationRunSteps = pgTable(
  'automation_run_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    runId: uuid('run_id').notNull().references(() => automationRuns.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    status: text('status').$type<'succeeded' | 'failed'>().notNull(),
    /** The branch taken out of the node (`next`, `yes`, `timeout`, `error`, a case key). */
    branch: text('branch'),
    input: jsonb('input'),
    output: jsonb('output'),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('automation_run_steps_seq_key').on(t.runId, t.seq)],
);

/**
 * Record events that may trigger automations, written by database triggers in the same transaction
 * as the change (so none is lost) and only while the tenant has an automation listening for them.
 */
export const automationEvents = pgTable(
  'automation_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (t) => [index('automation_events_pending_idx').on(t.id).where(sql`${t.dispatchedAt} is null`)],
);
