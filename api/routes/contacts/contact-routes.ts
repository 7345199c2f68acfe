import { createRoute, z } from '@hono/zod-openapi';
import { inArray } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { mergeContactRecords } from '../../../db/contact-merge.js';
import { auditLog, contacts } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
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
