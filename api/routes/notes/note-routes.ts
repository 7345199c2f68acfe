import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { withTenant, type Tx } from '../../../db/client.js';
import { contacts, conversationNotes, conversations, users } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';

const Person = z.object({ id: z.string().uuid(), name: z.string() });
const NoteView = z
  .object({ id: z.string().uuid(), conversationId: z.string().uuid(), content: z.string(), author: Person.nullable(), mentions: z.array(Person), createdAt: z.string() })
  .openapi('Note');
const MentionView = NoteView.extend({ contact: z.object({ id: z.string().uuid(), name: z.string().nullable() }) }).openapi('Mention');
type Note = typeof conversationNotes.$inferSelect;

/** Notes with their author and mentioned users' names; a removed user drops out of `mentions`. */
async function views(tx: Tx, notes: Note[]): Promise<z.infer<typeof NoteView>[]> {
  const ids = [...new Set(notes.flatMap((n) => [...n.mentions, ...(n.authorUserId ? [n.authorUserId] : [])]))];
  const people = new Map((ids.length ? await tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids)) : []).map((u) => [u.id, u]));
  return notes.map((n) => ({
    id: n.id,
    conversationId: n.conversationId,
    content: n.content,
    author: (n.authorUserId && people.get(n.authorUserId)) || null,
    mentions: n.mentions.flatMap((id) => people.get(id) ?? []),
    createdAt: n.createdAt.toISOString(),
  }));
}

async function assertConversation(tx: Tx, id: string) {
  const [row] = await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, id));
  if (!row) throw notFound('conversation');
}

/** Mounted at `/v1`: its paths span conversations and the caller's own mentions. */
export const noteRoutes = newRouter();
// Scoped paths only: a `*` here would also guard every other `/v1` route, public ones included.
noteRoutes.use('/conversations/:id/notes', requireUser);
noteRoutes.use('/me/mentions', requireUser);

noteRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/conversations/{id}/notes',
    tags: ['notes'],
    summary: "A conversation's private notes, oldest first; agents only, never shown to the customer",
    security,
    request: { params: IdParam },
    responses: { 200: jsonResponse('Notes', z.object({ notes: z.array(NoteView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'conversations:read');
    const { id } = c.req.valid('param');
    const notes = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      await assertConversation(tx, id);
      return views(tx, await tx.select().from(conversationNotes).where(eq(conversationNotes.conversationId, id)).orderBy(asc(conversationNotes.createdAt)).limit(1000));
    });
    return c.json({ notes }, 200);
  },
);

noteRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/conversations/{id}/notes',
    tags: ['notes'],
    summary: 'Add a private note; each @mentioned user is told through the live stream',
    security,
    request: { params: IdParam, ...jsonBody(z.object({ content: Text(1, 4096), mentions: z.array(z.string().uuid()).max(50).default([]) })) },
    responses: { 201: jsonResponse('Added', z.object({ note: NoteView })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'conversations:act');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const mentions = [...new Set(body.mentions)];
    const note = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      await assertConversation(tx, id);
      // RLS hides other workspaces' users, so they count as unknown.
      const known = mentions.length ? await tx.select({ id: users.id }).from(users).where(inArray(users.id, mentions)) : [];
      if (known.length !== mentions.length) throw new AppError('validation_failed', 'mentions must be users of this workspace', [{ field: 'mentions', message: 'not users of this workspace' }]);
      const [row] = await tx.insert(conversationNotes).values({ tenantId: p.tenantId, conversationId: id, authorUserId: p.userId, content: body.content, mentions }).returning();
      return (await views(tx, [row]))[0];
    });
    return c.json({ note }, 201);
  },
);

noteRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/mentions',
    tags: ['notes'],
    summary: 'The latest notes that mention the caller, newest first; `since` counts only newer ones (for a badge)',
    security,
    request: {
      query: z.object({
        // Year 0 passes the format but not PostgreSQL: refused here as a 400 rather than in the query.
        since: z
          .string()
          .datetime({ offset: true })
          .refine((s) => new Date(s).getUTCFullYear() >= 1, 'must be after year 0')
          .optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
    },
    responses: { 200: jsonResponse('Mentions', z.object({ mentions: z.array(MentionView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'conversations:read');
    const q = c.req.valid('query');
    const mentions = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const rows = await tx
        .select({ note: conversationNotes, contact: { id: contacts.id, name: contacts.name } })
        .from(conversationNotes)
        .innerJoin(conversations, eq(conversations.id, conversationNotes.conversationId))
        .innerJoin(contacts, eq(contacts.id, conversations.contactId))
        .where(and(sql`${conversationNotes.mentions} @> array[${p.userId}]::uuid[]`, q.since ? gt(conversationNotes.createdAt, new Date(q.since)) : undefined))
        .orderBy(desc(conversationNotes.createdAt))
        .limit(q.limit);
      const notes = await views(tx, rows.map((r) => r.note));
      return notes.map((n, i) => ({ ...n, contact: rows[i].contact }));
    });
    return c.json({ mentions }, 200);
  },
);
