import { createRoute, z } from '@hono/zod-openapi';
import { asc, eq } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { contactListViews } from '../../../db/schema/index.js';
import { assertCan, can } from '../../auth/permissions.js';
import { AppError, ErrorBody, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { ContactFilters } from './contact-list-filters.js';

const ViewOut = z.object({ id: z.string().uuid(), name: z.string(), filters: ContactFilters, createdBy: z.string().uuid().nullable(), createdAt: z.string() }).openapi('ContactListView');
const toView = (v: typeof contactListViews.$inferSelect) => ({ id: v.id, name: v.name, filters: v.filters, createdBy: v.createdBy, createdAt: v.createdAt.toISOString() });

export const contactListViewRoutes = newRouter();
contactListViewRoutes.use('/contact-views', requireUser);
contactListViewRoutes.use('/contact-views/*', requireUser);

contactListViewRoutes.openapi(
  createRoute({ method: 'get', path: '/contact-views', tags: ['contacts'], summary: "The workspace's saved contact list views, by name", security, responses: { 200: jsonResponse('Views', z.object({ views: z.array(ViewOut) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:read');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(contactListViews).orderBy(asc(contactListViews.name)));
    return c.json({ views: rows.map(toView) }, 200);
  },
);

contactListViewRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/contact-views',
    tags: ['contacts'],
    summary: 'Save a contact list view: a name for a set of filters (at least one), shared with the workspace',
    security,
    request: jsonBody(z.object({ name: Text(1, 80), filters: ContactFilters.refine((f) => Object.values(f).some((v) => v !== undefined), 'give at least one filter') })),
    responses: { 201: jsonResponse('Saved', z.object({ view: ViewOut })), 409: jsonResponse('Name taken', ErrorBody), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const body = c.req.valid('json');
    // A name already used is a 409 naming the field (the unique index, through the error model).
    const [row] = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.insert(contactListViews).values({ tenantId: p.tenantId, name: body.name, filters: body.filters as Record<string, string>, createdBy: p.userId }).returning());
    return c.json({ view: toView(row) }, 201);
  },
);

contactListViewRoutes.openapi(
  createRoute({ method: 'delete', path: '/contact-views/{id}', tags: ['contacts'], summary: 'Delete a saved view (its author, or a manager)', security, request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const { id } = c.req.valid('param');
    await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [view] = await tx.select().from(contactListViews).where(eq(contactListViews.id, id));
      if (!view) throw notFound('view');
      if (view.createdBy !== p.userId && !can(p.role, 'crm:manage')) throw new AppError('forbidden', 'only its author or a manager may delete a shared view');
      await tx.delete(contactListViews).where(eq(contactListViews.id, id));
    });
    return c.body(null, 204);
  },
);
