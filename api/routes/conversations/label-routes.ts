import { createRoute, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { conversations } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { conversationView } from './conversation-read-routes.js';
import { ConversationView } from './views.js';

/** A label as stored: trimmed and lower-cased, so "VIP " and "vip" filter as one. */
const Label = z.string().trim().toLowerCase().min(1).max(40).regex(/^[^\u0000]*$/, 'must not contain NUL');
const Labels = z
  .array(Label)
  .max(20)
  .transform((labels) => [...new Set(labels)]);

/** PUT /v1/conversations/{id}/labels: mounted on the conversations router. */
export const conversationLabelRoutes = newRouter();
conversationLabelRoutes.use('*', requireUser);

conversationLabelRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/{id}/labels',
    tags: ['conversations'],
    summary: "Replace a conversation's labels (trimmed, lower-cased, deduplicated; at most 20)",
    security,
    request: { params: IdParam, ...jsonBody(z.object({ labels: Labels })) },
    responses: { 200: jsonResponse('The relabelled conversation', z.object({ conversation: ConversationView })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'conversations:act');
    const id = c.req.valid('param').id;
    const { labels } = c.req.valid('json');
    // Written here, not through the workflow: nothing it decides depends on labels (decision 009).
    const conversation = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [row] = await tx
        .update(conversations)
        .set({ labels, updatedAt: sql`now()` })
        .where(eq(conversations.id, id))
        .returning({ id: conversations.id });
      if (!row) throw notFound('conversation');
      return conversationView(tx, p, id);
    });
    return c.json({ conversation }, 200);
  },
);

/** GET /v1/labels: what the inbox's label filter offers. */
export const labelRoutes = newRouter();
labelRoutes.use('*', requireUser);

labelRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['conversations'],
    summary: "The workspace's labels in use, with how many conversations carry each, most used first",
    security,
    responses: { 200: jsonResponse('Labels', z.object({ labels: z.array(z.object({ name: z.string(), count: z.number().int() })) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'conversations:read');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) =>
      tx.execute<{ name: string; count: number }>(sql`
        select label as name, count(*)::int as count
        from ${conversations}, unnest(${conversations.labels}) as label
        where ${conversations.tenantId} = ${p.tenantId} and ${conversations.labels} <> '{}'
        group by label order by count(*) desc, label limit 500`),
    );
    return c.json({ labels: rows.map((r) => ({ name: r.name, count: Number(r.count) })) }, 200);
  },
);
