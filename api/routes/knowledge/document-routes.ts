import { createRoute, z } from '@hono/zod-openapi';
import { DocumentTooLarge, deleteDocument, getDocument, listDocuments, saveDocument, type KbDocument } from '../../../activities/knowledge/store.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';

const DocumentView = z
  .object({
    id: z.string().uuid(),
    title: z.string(),
    format: z.enum(['markdown', 'text', 'html']),
    chunkCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('KnowledgeDocument');
const DocumentBody = z.object({
  title: Text(1, 200),
  format: z.enum(['markdown', 'text', 'html']).default('markdown'),
  // About 80 pages of text; larger sources belong in several documents.
  content: Text(1, 200_000),
});
const Id = z.object({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) });
const errors = errorResponses;
const security = bearerSecurity;
const view = (d: KbDocument) => ({ id: d.id, title: d.title, format: d.format, chunkCount: d.chunkCount, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString() });

export const documentRoutes = newRouter();
documentRoutes.use('*', requireUser);

documentRoutes.openapi(
  createRoute({ method: 'get', path: '/', tags: ['knowledge'], summary: 'Knowledge-base documents', security, responses: { 200: jsonResponse('Documents', z.object({ documents: z.array(DocumentView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'knowledge:read');
    return c.json({ documents: (await listDocuments(c.get('deps').db, p.tenantId)).map(view) }, 200);
  },
);

documentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['knowledge'],
    summary: 'Add a document (Markdown, plain text or HTML); it is chunked and indexed at once',
    security,
    request: jsonBody(DocumentBody),
    responses: { 201: jsonResponse('Indexed', DocumentView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'knowledge:manage');
    const body = c.req.valid('json');
    const doc = await saveDocument(c.get('deps').db, p.tenantId, { title: body.title, body: body.content, format: body.format }).catch(tooLarge);
    return c.json(view(doc!), 201);
  },
);

documentRoutes.openapi(
  createRoute({ method: 'get', path: '/{id}', tags: ['knowledge'], summary: 'One document with its content', security, request: { params: Id }, responses: { 200: jsonResponse('Document', DocumentView.extend({ content: z.string() })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'knowledge:read');
    const doc = await getDocument(c.get('deps').db, p.tenantId, c.req.valid('param').id);
    if (!doc) throw notFound('document');
    return c.json({ ...view(doc), content: doc.body }, 200);
  },
);

documentRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/{id}',
    tags: ['knowledge'],
    summary: 'Replace a document and re-index it; its old chunks are removed in the same step',
    security,
    request: { params: Id, ...jsonBody(DocumentBody) },
    responses: { 200: jsonResponse('Re-indexed', DocumentView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'knowledge:manage');
    const body = c.req.valid('json');
    const doc = await saveDocument(c.get('deps').db, p.tenantId, { title: body.title, body: body.content, format: body.format }, c.req.valid('param').id).catch(tooLarge);
    if (!doc) throw notFound('document');
    return c.json(view(doc), 200);
  },
);

documentRoutes.openapi(
  createRoute({ method: 'delete', path: '/{id}', tags: ['knowledge'], summary: 'Delete a document and its chunks', security, request: { params: Id }, responses: { 204: { description: 'Deleted' }, ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'knowledge:manage');
    if (!(await deleteDocument(c.get('deps').db, p.tenantId, c.req.valid('param').id))) throw notFound('document');
    return c.body(null, 204);
  },
);

function tooLarge(err: unknown): never {
  if (err instanceof DocumentTooLarge) throw new AppError('validation_failed', err.message, [{ field: 'content', message: err.message }]);
  throw err;
}
