import { createRoute, z } from '@hono/zod-openapi';
import { asc, eq, ilike, or, sql } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { cannedResponses } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { ErrorBody, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { containsPattern, escapeLike } from '../../services/like-patterns.js';

const CannedResponseView = z
  .object({ id: z.string().uuid(), shortcut: z.string(), content: z.string(), createdAt: z.string(), updatedAt: z.string() })
  .openapi('CannedResponse');

/** What an agent types after `/`; lower-cased so `/Refund` and `/refund` are one shortcut. */
const Shortcut = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, - or _');
const Input = z.object({ shortcut: Shortcut, content: Text(1, 4096) });
const conflict = { 409: jsonResponse('Shortcut taken', ErrorBody) };

const view = (r: typeof cannedResponses.$inferSelect) => ({ id: r.id, shortcut: r.shortcut, content: r.content, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });

export const cannedResponseRoutes = newRouter();
cannedResponseRoutes.use('*', requireUser);

cannedResponseRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['canned responses'],
    summary: 'Canned responses; `q` matches shortcuts by prefix and content by substring, prefix matches first',
    security,
    request: { query: z.object({ q: Text(0, 100).optional() }) },
    responses: { 200: jsonResponse('Canned responses', z.object({ cannedResponses: z.array(CannedResponseView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    const q = c.req.valid('query').q?.replace(/^\//, '');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => {
      if (!q) return tx.select().from(cannedResponses).orderBy(asc(cannedResponses.shortcut)).limit(500);
      const prefix = `${escapeLike(q.toLowerCase())}%`;
      return tx
        .select()
        .from(cannedResponses)
        .where(or(ilike(cannedResponses.shortcut, containsPattern(q)), ilike(cannedResponses.content, containsPattern(q))))
        .orderBy(sql`${cannedResponses.shortcut} like ${prefix} desc`, asc(cannedResponses.shortcut))
        .limit(50);
    });
    return c.json({ cannedResponses: rows.map(view) }, 200);
  },
);

cannedResponseRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['canned responses'],
    summary: 'Create a canned response',
    security,
    request: jsonBody(Input),
    responses: { 201: jsonResponse('Created', z.object({ cannedResponse: CannedResponseView })), ...conflict, ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'canned:manage');
    const body = c.req.valid('json');
    const [row] = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.insert(cannedResponses).values({ tenantId: p.tenantId, createdBy: p.userId, ...body }).returning());
    return c.json({ cannedResponse: view(row) }, 201);
  },
);

cannedResponseRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['canned responses'],
    summary: 'Change a canned response',
    security,
    request: { params: IdParam, ...jsonBody(Input.partial().refine((b) => b.shortcut !== undefined || b.content !== undefined, 'give shortcut or content')) },
    responses: { 200: jsonResponse('Canned response', z.object({ cannedResponse: CannedResponseView })), ...conflict, ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'canned:manage');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const [row] = await withTenant(c.get('deps').db, p.tenantId, (tx) =>
      tx.update(cannedResponses).set({ ...body, updatedAt: sql`now()` }).where(eq(cannedResponses.id, id)).returning(),
    );
    if (!row) throw notFound('canned response');
    return c.json({ cannedResponse: view(row) }, 200);
  },
);

cannedResponseRoutes.openapi(
  createRoute({ method: 'delete', path: '/{id}', tags: ['canned responses'], summary: 'Delete a canned response', security, request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'canned:manage');
    const { id } = c.req.valid('param');
    const [row] = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.delete(cannedResponses).where(eq(cannedResponses.id, id)).returning({ id: cannedResponses.id }));
    if (!row) throw notFound('canned response');
    return c.body(null, 204);
  },
);
