import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { contacts, conversations, messages, teams, users } from '../../../db/schema/index.js';
import type { ConversationStatus } from '../../../temporal/contracts.js';
import { searchCondition, type SearchMatch } from './conversation-search.js';
import { iso } from './views.js';
import { encodeCursor, type Cursor } from '../keyset-cursor.js';

export const INBOX_VIEWS = ['all', 'mine', 'unassigned', 'ai'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export interface ListFilter {
  tenantId: string;
  /** The caller: what `view=mine` means. */
  userId: string;
  view?: InboxView;
  status?: ConversationStatus;
  channel?: string;
  label?: string;
  assigneeId?: string;
  teamId?: string;
  search?: SearchMatch;
  id?: string;
  cursor?: Cursor;
  limit: number;
}

const viewCondition = (view: InboxView, f: Pick<ListFilter, 'userId' | 'status'>): SQL | undefined => {
  switch (view) {
    case 'mine':
      return eq(conversations.assigneeId, f.userId);
    case 'ai':
      return eq(conversations.owner, 'ai');
    case 'unassigned':
      // Waiting for a person: nobody has it, the AI has given it up, and it is not finished.
      return and(isNull(conversations.assigneeId), eq(conversations.owner, 'human'), f.status ? undefined : sql`${conversations.status} in ('open', 'pending')`);
    case 'all':
      return undefined;
  }
};

/** Every filter but the view, the cursor and the search: what the view tabs count over. */
function baseConditions(f: ListFilter): SQL[] {
  // Explicit as well as enforced by RLS: it makes the tenant the leading key of the inbox index.
  const where: SQL[] = [eq(conversations.tenantId, f.tenantId)];
  if (f.id) where.push(eq(conversations.id, f.id));
  if (f.status) where.push(eq(conversations.status, f.status));
  if (f.channel) where.push(eq(conversations.channel, f.channel));
  if (f.label) where.push(sql`${conversations.labels} @> array[${f.label}]::text[]`);
  if (f.assigneeId) where.push(eq(conversations.assigneeId, f.assigneeId));
  if (f.teamId) where.push(eq(conversations.teamId, f.teamId));
  return where;
}

function afterCursor(c: Cursor): SQL {
  const at = conversations.lastMessageAt;
  if (c.at === null) return sql`(${at} is null and ${conversations.id} > ${c.id})`;
  return sql`(${at} < ${c.at}::timestamptz or (${at} = ${c.at}::timestamptz and ${conversations.id} > ${c.id}) or ${at} is null)`;
}

/**
 * A conversation's latest message that was not discarded, its text cut to `previewChars` when
 * given. One index probe per listed row (messages_conversation_idx, backwards): cheap for a page.
 * Qualified by hand: in a query without a join drizzle writes a bare "id", which the subquery
 * would read as m.id.
 */
export const lastMessageOf = (previewChars?: number) =>
  sql<{ content: string; direction: 'inbound' | 'outbound'; created_at: string } | null>`(
  select json_build_object('content', ${previewChars === undefined ? sql`m.content` : sql`left(m.content, ${previewChars})`}, 'direction', m.direction, 'created_at', m.created_at)
  from ${messages} m where m.conversation_id = "conversations"."id" and m.delivery_status <> 'discarded'
  order by m.created_at desc limit 1)`;
const lastMessage = lastMessageOf();

/**
 * A page of the inbox, newest activity first, walking `conversations_tenant_last_message_idx`.
 * Returns one row more than asked when there is a next page, so the caller can make a cursor.
 */
export async function listConversations(tx: Tx, f: ListFilter) {
  const where = baseConditions(f);
  const view = f.view && viewCondition(f.view, f);
  if (view) where.push(view);
  if (f.search) where.push(searchCondition(f.search));
  if (f.cursor) where.push(afterCursor(f.cursor));
  const rows = await tx
    .select({
      conversation: conversations,
      contact: { id: contacts.id, name: contacts.name, email: contacts.email, phone: contacts.phone },
      assigneeName: users.name,
      teamName: teams.name,
      lastMessage,
      at: sql<string | null>`${conversations.lastMessageAt}::text`,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .leftJoin(teams, eq(teams.id, conversations.teamId))
    .where(and(...where))
    .orderBy(sql`${conversations.lastMessageAt} desc nulls last`, asc(conversations.id))
    .limit(f.limit + 1);
  const page = rows.slice(0, f.limit).map(({ conversation: c, contact, assigneeName, teamName, lastMessage: lm }) => ({
    id: c.id,
    channel: c.channel,
    status: c.status,
    owner: c.owner,
    assigneeId: c.assigneeId,
    assignee: c.assigneeId && assigneeName !== null ? { id: c.assigneeId, name: assigneeName } : null,
    teamId: c.teamId,
    team: c.teamId && teamName !== null ? { id: c.teamId, name: teamName } : null,
    labels: c.labels,
    priority: c.priority,
    snoozedUntil: iso(c.snoozedUntil),
    lastMessageAt: iso(c.lastMessageAt),
    lastInboundAt: iso(c.lastInboundAt),
    createdAt: c.createdAt.toISOString(),
    contact,
    lastMessage: lm ? { content: lm.content, direction: lm.direction, createdAt: new Date(lm.created_at).toISOString() } : null,
  }));
  const last = rows[f.limit - 1];
  const nextCursor = rows.length > f.limit && last ? encodeCursor({ at: last.at, id: last.conversation.id }) : null;
  return { conversations: page, nextCursor };
}

/** How many conversations each view tab holds under the other filters: one pass over the tenant's rows. */
export async function countViews(tx: Tx, f: ListFilter) {
  const n = (cond: SQL | undefined) => sql<number>`(count(*) filter (where ${cond ?? sql`true`}))::int`;
  const [row] = await tx
    .select({ all: n(undefined), mine: n(viewCondition('mine', f)), unassigned: n(viewCondition('unassigned', f)), ai: n(viewCondition('ai', f)) })
    .from(conversations)
    .where(and(...baseConditions(f)));
  return row ?? { all: 0, mine: 0, unassigned: 0, ai: 0 };
}
