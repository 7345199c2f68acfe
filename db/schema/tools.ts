import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { conversations } from './conversations.js';
import { messages } from './messages.js';
import { tenants } from './tenants.js';
import { users } from './users.js';

export const TOOL_CALL_STATUSES = ['pending', 'awaiting_approval', 'succeeded', 'failed', 'rejected', 'expired', 'blocked'] as const;
export const toolCallStatus = pgEnum('tool_call_status', TOOL_CALL_STATUSES);

/**
 * Every tool call the agent proposed, whether it ran or not: the arguments as the model gave them,
 * the policy's verdict, the human who approved or rejected it, and the result. The workflow only
 * holds these rows' ids.
 */
export const toolCalls = pgTable(
  'tool_calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    /** The inbound message the agent was answering. */
    messageId: uuid('message_id').notNull().references(() => messages.id, { onDelete: 'cascade' }),
    /** Which model turn proposed it: tools run between turns. */
    round: integer('round').notNull(),
    ordinal: integer('ordinal').notNull(),
    /** The model's own id for the call, echoed back with the result. */
    providerCallId: text('provider_call_id').notNull(),
    name: text('name').notNull(),
    arguments: jsonb('arguments').$type<Record<string, unknown>>().notNull(),
    status: toolCallStatus('status').notNull(),
    needsApproval: boolean('needs_approval').notNull().default(false),
    /** Why a call was blocked, failed, or needs approval; shown to agents. */
    reason: text('reason'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    /** Tokens of the model turn that proposed the call (kept on its first call), for accounting. */
    usage: jsonb('usage').$type<{ provider: string; model: string; promptTokens: number; completionTokens: number; cost: { usd: number; priced: boolean } }>(),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('tool_calls_turn_key').on(t.messageId, t.round, t.ordinal),
    index('tool_calls_conversation_idx').on(t.conversationId, t.createdAt),
    index('tool_calls_awaiting_idx').on(t.tenantId, t.status),
  ],
);

export const httpToolMethod = pgEnum('http_tool_method', ['GET', 'POST']);

/**
 * A tenant's own HTTP endpoint offered to the agent as a tool. The names `lookup_order` and
 * `issue_refund` bind the built-in tools to the tenant's shop instead. The auth header value is
 * sealed like provider keys (db/credential-crypto.ts).
 */
export const httpTools = pgTable(
  'http_tools',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull(),
    url: text('url').notNull(),
    method: httpToolMethod('method').notNull().default('POST'),
    /** JSON schema of the arguments (an object schema). */
    parameters: jsonb('parameters').$type<Record<string, unknown>>().notNull(),
    authHeaderName: text('auth_header_name'),
    sealedAuthHeader: text('sealed_auth_header'),
    authHint: text('auth_hint'),
    requiresApproval: boolean('requires_approval').notNull().default(false),
    enabled: boolean('enabled').notNull().default(true),
    timeoutMs: integer('timeout_ms').notNull().default(5000),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('http_tools_name_key').on(t.tenantId, t.name)],
);

export const followUpStatus = pgEnum('follow_up_status', ['scheduled', 'sent', 'cancelled']);

/** A follow-up the agent promised; the conversation workflow holds the durable timer for it. */
export const followUps = pgTable(
  'follow_ups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    toolCallId: uuid('tool_call_id').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    note: text('note').notNull(),
    status: followUpStatus('status').notNull().default('scheduled'),
    messageId: uuid('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('follow_ups_tool_call_key').on(t.toolCallId)],
);
