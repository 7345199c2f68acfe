import { z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { DELIVERY_STATUSES, messages } from '../../../db/schema/index.js';
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

const Ref = z.object({ id: z.string().uuid(), name: z.string() });

export const ConversationView = z
  .object({
    id: z.string().uuid(),
    channel: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    owner: z.enum(CONVERSATION_OWNERS),
    assigneeId: z.string().uuid().nullable(),
    assignee: Ref.nullable(),
    teamId: z.string().uuid().nullable(),
    team: Ref.nullable(),
    labels: z.array(z.string()),
    priority: z.string().nullable().describe('Set by an escalation: how urgently the team should pick it up'),
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
