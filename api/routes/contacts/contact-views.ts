import { z } from '@hono/zod-openapi';
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { contactIdentities, contacts, conversations } from '../../../db/schema/index.js';
import { CONVERSATION_OWNERS, CONVERSATION_STATUSES } from '../../../temporal/contracts.js';
import { notFound } from '../../errors.js';
import { lastMessageOf } from '../conversations/conversation-list.js';

export const ContactView = z
  .object({
    id: z.string().uuid(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()).describe('What is known about the contact: set by tools, the AI and imports'),
    tags: z.array(z.string()),
    labels: z.array(z.string()).describe("Labels on the contact's conversations, most used first"),
    marketingOptOuts: z.array(z.string()).describe('Channels the contact opted out of marketing on'),
    identities: z.array(
      z.object({
        kind: z.string().describe('The channel'),
        address: z.string(),
        status: z.string().describe('ok, bounced or complained'),
        statusDetail: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    mergedInto: z.string().uuid().nullable(),
    accountId: z.string().uuid().nullable(),
    ownerId: z.string().uuid().nullable(),
    createdAt: z.string(),
  })
  .openapi('Contact');

export async function contactView(tx: Tx, id: string): Promise<z.infer<typeof ContactView>> {
  const [c] = await tx.select().from(contacts).where(eq(contacts.id, id));
  if (!c) throw notFound('contact');
  const [ids, labels] = await Promise.all([
    tx.select().from(contactIdentities).where(eq(contactIdentities.contactId, id)).orderBy(asc(contactIdentities.createdAt)),
    tx
      .select({ name: sql<string>`label` })
      .from(sql`${conversations}, unnest(${conversations.labels}) as label`)
      .where(eq(conversations.contactId, id))
      .groupBy(sql`label`)
      .orderBy(sql`count(*) desc`, sql`label`),
  ]);
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    attributes: c.attributes,
    tags: c.tags,
    labels: labels.map((l) => l.name),
    marketingOptOuts: c.marketingOptOuts,
    identities: ids.map((i) => ({ kind: i.channel, address: i.externalId, status: i.status, statusDetail: i.statusDetail, createdAt: i.createdAt.toISOString() })),
    mergedInto: c.mergedInto,
    accountId: c.accountId,
    ownerId: c.ownerId,
    createdAt: c.createdAt.toISOString(),
  };
}

export const ContactConversationView = z
  .object({
    id: z.string().uuid(),
    channel: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    owner: z.enum(CONVERSATION_OWNERS),
    labels: z.array(z.string()),
    lastMessageAt: z.string().nullable(),
    createdAt: z.string(),
    lastMessage: z.object({ content: z.string(), direction: z.enum(['inbound', 'outbound']), createdAt: z.string() }).nullable(),
  })
  .openapi('ContactConversation');

const lastMessage = lastMessageOf(200);

/** The contact's conversations, latest activity first (conversations_contact_channel_idx finds them). */
export async function contactConversations(tx: Tx, tenantId: string, contactId: string, limit: number): Promise<Array<z.infer<typeof ContactConversationView>>> {
  const [c] = await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, contactId));
  if (!c) throw notFound('contact');
  const rows = await tx
    .select({ c: conversations, lastMessage })
    .from(conversations)
    .where(sql`${conversations.tenantId} = ${tenantId} and ${conversations.contactId} = ${contactId}`)
    .orderBy(sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt}) desc`, desc(conversations.id))
    .limit(limit);
  return rows.map(({ c: r, lastMessage: lm }) => ({
    id: r.id,
    channel: r.channel,
    status: r.status,
    owner: r.owner,
    labels: r.labels,
    lastMessageAt: r.lastMessageAt ? r.lastMessageAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
    lastMessage: lm ? { content: lm.content, direction: lm.direction, createdAt: new Date(lm.created_at).toISOString() } : null,
  }));
}
