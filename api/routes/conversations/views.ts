import { z } from '@hono/zod-openapi';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { DELIVERY_STATUSES, contacts, conversations, messages } from '../../../db/schema/index.js';
import { CONVERSATION_OWNERS, CONVERSATION_STATUSES } from '../../../temporal/contracts.js';

export const MessageView = z
  .object({
    id: z.string().uuid(),
    conversationId: z.string().uuid(),
    direction: z.enum(['inbound', 'outbound']),
    authorRole: z.enum(['customer', 'ai', 'agent', 'system']),
    content: z.string(),
    deliveryStatus: z.enum(DELIVERY_STATUSES),
    createdAt: z.string(),
  })
  .openapi('Message');

export const ConversationView = z
  .object({
    id: z.string().uuid(),
    channel: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    owner: z.enum(CONVERSATION_OWNERS),
    assigneeId: z.string().uuid().nullable(),
    snoozedUntil: z.string().nullable(),
    lastMessageAt: z.string().nullable(),
    lastInboundAt: z.string().nullable(),
    createdAt: z.string(),
    contact: z.object({ id: z.string().uuid(), name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }),
    lastMessage: z.object({ content: z.string(), direction: z.enum(['inbound', 'outbound']), createdAt: z.string() }).nullable(),
  })
  .openapi('Conversation');

/** A timestamp as ISO 8601, or null. */
export const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toMessageView(m: typeof messages.$inferSelect): z.infer<typeof MessageView> {
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    authorRole: m.authorRole,
    content: m.content,
    deliveryStatus: m.deliveryStatus,
    createdAt: m.createdAt.toISOString(),
  };
}

const lastMessage = sql<{ content: string; direction: 'inbound' | 'outbound'; created_at: string } | null>`(
  select json_build_object('content', m.content, 'direction', m.direction, 'created_at', m.created_at)
  from messages m where m.conversation_id = ${conversations.id} and m.delivery_status <> 'discarded'
  order by m.created_at desc limit 1)`;

export async function listConversations(tx: Tx, filter: { status?: (typeof CONVERSATION_STATUSES)[number]; id?: string; limit: number }) {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(conversations.status, filter.status));
  if (filter.id) where.push(eq(conversations.id, filter.id));
  const rows = await tx
    .select({ conversation: conversations, contact: contacts, lastMessage })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`))
    .limit(filter.limit);
  return rows.map(({ conversation: c, contact, lastMessage: lm }) => ({
    id: c.id,
    channel: c.channel,
    status: c.status,
    owner: c.owner,
    assigneeId: c.assigneeId,
    snoozedUntil: iso(c.snoozedUntil),
    lastMessageAt: iso(c.lastMessageAt),
    lastInboundAt: iso(c.lastInboundAt),
    createdAt: c.createdAt.toISOString(),
    contact: { id: contact.id, name: contact.name, email: contact.email, phone: contact.phone },
    lastMessage: lm ? { content: lm.content, direction: lm.direction, createdAt: new Date(lm.created_at).toISOString() } : null,
  }));
}

/** `customer` is what the customer may see: nothing discarded, and no reply not yet sent. */
export async function listMessages(tx: Tx, conversationId: string, opts: { audience: 'agent' | 'customer' }) {
  const hidden = opts.audience === 'customer' ? sql`${messages.deliveryStatus} not in ('discarded', 'queued')` : sql`${messages.deliveryStatus} <> 'discarded'`;
  const rows = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), hidden))
    .orderBy(messages.createdAt, messages.id)
    .limit(1000);
  return rows.map(toMessageView);
}
