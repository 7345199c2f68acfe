import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { conversations } from './conversations.js';
import { tenants } from './tenants.js';
import { users } from './users.js';

export const messageDirection = pgEnum('message_direction', ['inbound', 'outbound']);
export const authorRole = pgEnum('author_role', ['customer', 'ai', 'agent', 'system']);
/** Delivery only moves forward through this order; `failed` and `discarded` are terminal. */
export const DELIVERY_STATUSES = ['received', 'queued', 'sent', 'delivered', 'read', 'failed', 'discarded'] as const;
export const deliveryStatus = pgEnum('delivery_status', DELIVERY_STATUSES);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    direction: messageDirection('direction').notNull(),
    authorRole: authorRole('author_role').notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    channel: text('channel').notNull(),
    content: text('content').notNull(),
    deliveryStatus: deliveryStatus('delivery_status').notNull(),
    /** The provider's id (or the widget's client id). Unique per tenant and channel: a re-delivery is a no-op. */
    providerMessageId: text('provider_message_id'),
    inReplyTo: uuid('in_reply_to'),
    /** Set once the conversation workflow has durably received this inbound message. */
    signaledAt: timestamp('signaled_at', { withTimezone: true }),
    /** The workflow run and activity that handled this inbound message; a later run never handles it again. */
    handledBy: text('handled_by'),
    error: text('error'),
    /** Inbound: the triage (intent, priority, sentiment, …). Outbound AI replies: the knowledge-base sources quoted. */
    attributes: jsonb('attributes').$type<Record<string, unknown>>(),
    /** Media and files: their provider URL or storage key, type, name and size. */
    attachments: jsonb('attachments').$type<Array<{ url?: string; contentType: string; filename?: string; size?: number }>>(),
    /** Channel details: email headers (messageId, inReplyTo, references, subject), the template used, … */
    metadata: jsonb('metadata').$type<Record<string, unknown>>(),
    /** Marketing sends honour opt-outs; service replies answer the customer and do not. */
    purpose: text('purpose').$type<'service' | 'marketing'>().notNull().default('service'),
    /** Inbound: who it was routed to (an automation, the AI, or the humans), decided once when it is claimed. */
    routing: jsonb('routing').$type<{ to: 'automation' | 'ai' | 'human'; runIds?: string[]; resumedRunIds?: string[] }>(),
    citations: jsonb('citations').$type<Array<{ documentId: string; title: string; chunkId: string }>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('messages_provider_key').on(t.tenantId, t.channel, t.providerMessageId),
    index('messages_conversation_idx').on(t.conversationId, t.createdAt),
    // Reports read a workspace's messages by time.
    index('messages_tenant_created_idx').on(t.tenantId, t.createdAt),
    // One AI reply per inbound message, whatever retries or re-deliveries happen.
    uniqueIndex('messages_ai_reply_key').on(t.inReplyTo).where(sql`${t.authorRole} = 'ai'`),
    // What the signal sweeper scans: inbound messages not yet known to have reached their workflow.
    index('messages_unsignaled_idx').on(t.createdAt).where(sql`${t.direction} = 'inbound' and ${t.signaledAt} is null`),
  ],
);

export const outboxStatus = pgEnum('outbox_status', ['sending', 'sent', 'failed']);

/**
 * One row per outbound message, keyed by the message id that the workflow chose. A row already
 * `sent` is never sent again, whatever retries or crashes happen around it.
 */
export const outbox = pgTable('outbox', {
  messageId: uuid('message_id')
    .primaryKey()
    .references(() => messages.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  channel: text('channel').notNull(),
  status: outboxStatus('status').notNull().default('sending'),
  providerMessageId: text('provider_message_id'),
  attempts: integer('attempts').notNull().default(0),
  /** The attempt holding the send until then; a parallel attempt (timed out but alive) must not send too. */
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
});

export type MessageRow = typeof messages.$inferSelect;
