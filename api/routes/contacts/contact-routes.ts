import { createRoute, z } from '@hono/zod-openapi';
import { eq, inArray } from 'drizzle-orm';
import { withTenant, type Tx } from '../../../db/client.js';
import { mergeContactRecords } from '../../../db/contact-merge.js';
import { auditLog, contactNotes, contacts } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { decodeCursor } from '../keyset-cursor.js';
import { TimelineEntry, contactTimeline } from './contact-timeline.js';
import { ContactConversationView, ContactView, contactConversations, contactView } from './contact-views.js';

export const contactRoutes = newRouter();
contactRoutes.use('*', requireUser);

contactRoutes.openapi(
  createRoute({ method: 'get', path: '/{id}', tags: ['contacts'], summary: 'A contact, with how it is known on each channel', security, request: { params: IdParam }, responses: { 200: jsonResponse('Contact', ContactView), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'conversations:read');
    return c.json(await withTenant(c.get('deps').db, p.tenantId, (tx) => contactView(tx, c.req.valid('param').id)), 200);
  },
);

contactRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/conversations',
    tags: ['contacts'],
    summary: "The contact's conversations on every channel, latest activity first (at most 20)",
    security,
    request: { params: IdParam },
    responses: { 200: jsonResponse('Conversations', z.object({ conversations: z.array(ContactConversationView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'conversations:read');
    const list = await withTenant(c.get('deps').db, p.tenantId, (tx) => contactConversations(tx, p.tenantId, c.req.valid('param').id, 20));
    return c.json({ conversations: list }, 200);
  },
);

contactRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/merge',
    tags: ['contacts'],
    summary: 'Merge duplicate contacts into one: identities, conversations and history move to the survivor',
    security,
    request: jsonBody(
      z.object({
        survivorId: z.string().uuid(),
        mergedIds: z.array(z.string().uuid()).min(1).max(50).refine((ids) => new Set(ids).size === ids.length, 'must not repeat an id'),
      }),
    ),
    responses: { 200: jsonResponse('Merged', z.object({ contact: ContactView, moved: z.record(z.string(), z.number()) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'contacts:merge');
    const body = c.req.valid('json');
    if (body.mergedIds.includes(body.survivorId)) throw new AppError('validation_failed', 'a contact cannot be merged into itself', [{ field: 'mergedIds', message: 'contains survivorId' }]);
    const result = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      // Locked in id order, so two merges over the same contacts wait for each other instead of deadlocking.
      const rows = await tx
        .select()
        .from(contacts)
        .where(inArray(contacts.id, [body.survivorId, ...body.mergedIds]))
        .orderBy(contacts.id)
        .for('update');
      const survivor = rows.find((r) => r.id === body.survivorId);
      if (!survivor) throw new AppError('not_found', 'contact not found', [{ field: 'survivorId', message: 'not found' }]);
      if (survivor.mergedInto) throw new AppError('conflict', 'the survivor was itself merged into another contact', [{ field: 'survivorId', message: 'already merged' }]);
      const dupes = rows.filter((r) => r.id !== body.survivorId);
      const missing = body.mergedIds.filter((id) => !dupes.some((d) => d.id === id));
      if (missing.length) throw new AppError('not_found', 'contact not found', missing.map(() => ({ field: 'mergedIds', message: 'not found' })));
      const alreadyMerged = dupes.filter((d) => d.mergedInto);
      if (alreadyMerged.length) throw new AppError('conflict', 'some contacts were already merged', [{ field: 'mergedIds', message: `already merged: ${alreadyMerged.map((d) => d.id).join(', ')}` }]);
      const moved = await mergeContactRecords(tx, survivor, dupes, p.userId);
      await tx.insert(auditLog).values({ tenantId: p.tenantId, actorUserId: p.userId, action: 'contact.merged', targetType: 'contact', targetId: survivor.id, data: { mergedIds: body.mergedIds, moved } });
      return { contact: await contactView(tx, survivor.id), moved };
    });
    return c.json(result, 200);
  },
);

/** The contact, or a 404 naming it: another workspace's ids are not found (row-level security). */
async function assertContact(tx: Tx, id: string) {
  const [row] = await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, id));
  if (!row) throw notFound('contact');
}

contactRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/timeline',
    tags: ['contacts'],
    summary: "The contact's history, newest first: messages on every channel (with what the AI detected), notes, tickets and lead stage changes",
    security,
    request: {
      params: IdParam,
      query: z.object({ cursor: z.string().max(200).optional().describe('nextCursor of the previous page'), limit: z.coerce.number().int().min(1).max(100).default(50) }),
    },
    responses: { 200: jsonResponse('Timeline', z.object({ entries: z.array(TimelineEntry), nextCursor: z.string().nullable() })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:read');
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const before = q.cursor === undefined ? null : decodeCursor(q.cursor);
    const page = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      await assertContact(tx, id);
      return contactTimeline(tx, id, { before, limit: q.limit });
    });
    return c.json(page, 200);
  },
);

contactRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/notes',
    tags: ['contacts'],
    summary: 'Add a note on the contact, for teammates only (shown in its timeline)',
    security,
    request: { params: IdParam, ...jsonBody(z.object({ content: Text(1, 10_000) })) },
    responses: { 201: jsonResponse('Note', z.object({ note: z.object({ id: z.string().uuid(), content: z.string(), authorUserId: z.string().uuid().nullable(), createdAt: z.string() }) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const { id } = c.req.valid('param');
    const { content } = c.req.valid('json');
    const note = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      await assertContact(tx, id);
      const [row] = await tx.insert(contactNotes).values({ tenantId: p.tenantId, contactId: id, authorUserId: p.userId, content }).returning();
      return row;
    });
    return c.json({ note: { id: note.id, content: note.content, authorUserId: note.authorUserId, createdAt: note.createdAt.toISOString() } }, 201);
  },
);
