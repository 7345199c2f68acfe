import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { withTenant, type Tx } from '../../../db/client.js';
import { conversations } from '../../../db/schema/index.js';
import { CHANNELS, CONVERSATION_STATUSES } from '../../../temporal/contracts.js';
import { assertCan } from '../../auth/permissions.js';
import { notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonResponse, newRouter } from '../../router.js';
import { AgentMessageView, TriageView, latestTriage, listAgentMessages, whatsappWindow } from './agent-message-views.js';
import { decodeCursor } from '../keyset-cursor.js';
import { INBOX_VIEWS, countViews, listConversations } from './conversation-list.js';
import { findSearchCandidates } from './conversation-search.js';
import { ConversationView } from './views.js';

export const conversationReadRoutes = newRouter();
conversationReadRoutes.use('*', requireUser);

// PostgreSQL text cannot hold NUL: refused here as a 400 rather than failing in the query.
const noNul = (s: z.ZodString) => s.regex(/^[^\u0000]*$/, 'must not contain NUL');

const ListQuery = z.object({
  view: z.enum(INBOX_VIEWS).default('all').describe('mine: assigned to me; unassigned: nobody has it, a human must answer, and (unless status is given) still open or pending; ai: the AI answers'),
  status: z.enum(CONVERSATION_STATUSES).optional().describe('Absent: every status (except for view=unassigned, see there)'),
  channel: z.enum(CHANNELS).or(z.literal('chatwoot')).optional(),
  label: noNul(z.string().trim().toLowerCase().min(1).max(40)).optional(),
  assigneeId: z.string().uuid().optional(),
  teamId: z.string().uuid().optional(),
  q: noNul(z.string().trim().max(200)).optional().describe('Case-insensitive substring of the contact name, email or phone, or of any message'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(500).optional().describe("The previous page's nextCursor"),
});

const Counts = z.object({ mine: z.number().int(), unassigned: z.number().int(), all: z.number().int(), ai: z.number().int() });

conversationReadRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['conversations'],
    summary: 'The inbox: conversations by latest activity, filtered, searched and paged by cursor',
    description: 'counts (per view, under the other filters but not q) come with the first page only.',
    security,
    request: { query: ListQuery },
    responses: {
      200: jsonResponse('A page of conversations', z.object({ conversations: z.array(ConversationView), nextCursor: z.string().nullable(), counts: Counts.optional() })),
      ...errors,
    },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'conversations:read');
    const { db } = c.get('deps');
    const { q, cursor, ...query } = c.req.valid('query');
    const filter = { ...query, tenantId: p.tenantId, userId: p.userId, cursor: cursor ? decodeCursor(cursor) : undefined };
    const search = q ? await findSearchCandidates(db, p.tenantId, q) : undefined;
    const result = await withTenant(db, p.tenantId, async (tx) => {
      const page = await listConversations(tx, { ...filter, search });
      return cursor ? page : { ...page, counts: await countViews(tx, filter) };
    });
    return c.json(result, 200);
  },
);

const DetailView = ConversationView.extend({
  triage: TriageView.nullable().describe("The AI's reading of the latest inbound message it triaged"),
  whatsappWindow: z
    .object({ open: z.boolean(), closesAt: z.string().nullable() })
    .nullable()
    .describe("WhatsApp's 24-hour reply window after the customer's last message; null on other channels"),
}).openapi('ConversationDetail');

conversationReadRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['conversations'],
    summary: 'One conversation, with the triage of its latest inbound message',
    security,
    request: { params: IdParam },
    responses: { 200: jsonResponse('Conversation', z.object({ conversation: DetailView })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'conversations:read');
    const id = c.req.valid('param').id;
    const conversation = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const view = await conversationView(tx, p, id);
      return { ...view, triage: await latestTriage(tx, id), whatsappWindow: whatsappWindow(view.channel, view.lastInboundAt) };
    });
    return c.json({ conversation }, 200);
  },
);

conversationReadRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/messages',
    tags: ['conversations'],
    summary: "A conversation's messages, oldest first",
    security,
    request: { params: IdParam },
    responses: { 200: jsonResponse('Messages', z.object({ messages: z.array(AgentMessageView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'conversations:read');
    const id = c.req.valid('param').id;
    const list = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [row] = await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, id));
      if (!row) throw notFound('conversation');
      return listAgentMessages(tx, id);
    });
    return c.json({ messages: list }, 200);
  },
);

/** One conversation as the inbox lists it; 404 when the caller's tenant has no such conversation. */
export async function conversationView(tx: Tx, p: { tenantId: string; userId: string }, id: string) {
  const { conversations: [view] } = await listConversations(tx, { tenantId: p.tenantId, userId: p.userId, id, limit: 1 });
  if (!view) throw notFound('conversation');
  return view;
}
