import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.js';
import { conversations } from './conversations.js';
import { tenants } from './tenants.js';

export const refundStatus = pgEnum('refund_status', ['requested', 'issued', 'failed']);

/** A refund the agent issued after a human approved it; one per tool call. */
export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    toolCallId: uuid('tool_call_id').notNull(),
    orderNumber: text('order_number').notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    reason: text('reason'),
    status: refundStatus('status').notNull(),
    externalRef: text('external_ref'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('refunds_tool_call_key').on(t.toolCallId)],
);

export const stockSubscriptionStatus = pgEnum('stock_subscription_status', ['active', 'notified', 'cancelled']);

/** "Tell me when it's back": one active subscription per contact and product. */
export const stockSubscriptions = pgTable(
  'stock_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    channel: text('channel').notNull(),
    /** The product as the customer named it, and its normalised key for matching restocks. */
    product: text('product').notNull(),
    productKey: text('product_key').notNull(),
    status: stockSubscriptionStatus('status').notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('stock_subscriptions_active_key').on(t.tenantId, t.contactId, t.productKey, t.status), index('stock_subscriptions_product_idx').on(t.tenantId, t.productKey)],
);

export const campaignStatus = pgEnum('campaign_status', ['draft', 'sending', 'sent', 'cancelled']);
export const campaignResponse = pgEnum('campaign_response', ['interested', 'not_interested', 'opt_out', 'question']);

export const campaigns = pgTable('campaigns', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  channel: text('channel').notNull(),
  status: campaignStatus('status').notNull().default('draft'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One contact a campaign reached, and how they answered. */
export const campaignRecipients = pgTable(
  'campaign_recipients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    response: campaignResponse('response'),
    responseMessageId: uuid('response_message_id'),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('campaign_recipients_key').on(t.campaignId, t.contactId), index('campaign_recipients_contact_idx').on(t.tenantId, t.contactId)],
);
