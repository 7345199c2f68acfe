import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  DocumentTooLarge,
  INLINE_MAX_CHUNKS,
  createDocument,
  deleteDocument,
  getDocument,
  listDocuments,
  replaceDocument,
  requestReindex,
  type DocumentInput,
  type KbDocument,
} from '../../../activities/knowledge/store.js';
import { documentFormat, kbDocumentStatus } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import type { AppEnv } from '../../context.js';
import { AppError, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonResponse, newRouter } from '../../router.js';
import { DocumentBody, DocumentUpload, fromJson, fromUpload } from './document-input.js';
import { startIndexing } from './start-indexing.js';

const DocumentView = z
  .object({
    id: z.string().uuid(),
    title: z.string(),
    format: z.enum(documentFormat.enumValues),
    /** Chunks of the live (searchable) generation. */
    chunkCount: z.number().int(),
    status: z.enum(kbDocumentStatus.enumValues).openapi({ description: 'indexing: a new generation is being built (the previous one, if any, is still searched)' }),
    chunksTotal: z.number().int().openapi({ description: 'Chunks of the generation being built, or of the live one when ready' }),
    chunksDone: z.number().int(),
    error: z.string().nullable(),
    embeddingModel: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('KnowledgeDocument');
// zod-openapi types each target as the union of both schemas; each was validated by its own one.
type JsonBody = z.infer<typeof DocumentBody>;
type UploadBody = z.infer<typeof DocumentUpload>;
// JSON, or a file upload; each is validated by its own schema.
const documentBody = { body: { content: { 'application/json': { schema: DocumentBody }, 'multipart/form-data': { schema: DocumentUpload } }, required: false } };
const view = (d: KbDocument) => ({
  id: d.id,
  title: d.title,
  format: d.format,
  chunkCount: d.chunkCount,
  status: d.status,
  chunksTotal: d.chunksTotal,
  chunksDone: d.chunksDone,
  error: d.error,
  embeddingModel: d.embeddingModel,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

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
    summary: 'Add a document (Markdown, plain text or HTML) as JSON or as an uploaded file',
    description: `Documents of up to ${INLINE_MAX_CHUNKS} chunks, embedded locally, are indexed within the request (201). Larger ones, and those embedded by the workspace's OpenAI provider, are indexed in the background (202, status "indexing"): follow chunksDone on GET /{id}.`,
    security,
    request: documentBody,
    responses: { 201: jsonResponse('Indexed', DocumentView), 202: jsonResponse('Indexing', DocumentView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'knowledge:manage');
    const input = await documentInput(c);
    const doc = await createDocument(c.get('deps').db, p.tenantId, input).catch(tooLarge(c.req.header('content-type')));
    return indexed(c, doc, 201);
  },
);

documentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['knowledge'],
    summary: 'One document with its content and indexing progress',
    security,
    request: { params: IdParam },
    responses: { 200: jsonResponse('Document', DocumentView.extend({ content: z.string() })), ...errors },
  }),
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
    summary: 'Replace a document and re-index it; the old chunks serve until the new ones swap in, then are removed',
    security,
    request: { params: IdParam, ...documentBody },
    responses: { 200: jsonResponse('Re-indexed', DocumentView), 202: jsonResponse('Re-indexing', DocumentView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'knowledge:manage');
    const input = await documentInput(c);
    const doc = await replaceDocument(c.get('deps').db, p.tenantId, c.req.valid('param').id, input).catch(tooLarge(c.req.header('content-type')));
    if (!doc) throw notFound('document');
    return indexed(c, doc, 200);
  },
);

documentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/reindex',
    tags: ['knowledge'],
    summary: "Rebuild a document's chunks and embeddings (say, after the embedding provider changed)",
    security,
    request: { params: IdParam },
    responses: { 200: jsonResponse('Re-indexed', DocumentView), 202: jsonResponse('Re-indexing', DocumentView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'knowledge:manage');
    const doc = await requestReindex(c.get('deps').db, p.tenantId, c.req.valid('param').id);
    if (!doc) throw notFound('document');
    return indexed(c, doc, 200);
  },
);

documentRoutes.openapi(
  createRoute({ method: 'delete', path: '/{id}', tags: ['knowledge'], summary: 'Delete a document and its chunks', security, request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'knowledge:manage');
    if (!(await deleteDocument(c.get('deps').db, p.tenantId, c.req.valid('param').id))) throw notFound('document');
    return c.body(null, 204);
  },
);

/** The request's validated parts a document is read from. */
interface DocumentRequest {
  req: { header(name: 'content-type'): string | undefined; valid(target: 'json' | 'form'): unknown };
}

/** The validated JSON body or upload: each content type was checked by its own schema. */
async function documentInput(c: DocumentRequest): Promise<DocumentInput> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return fromUpload(c.req.valid('form') as UploadBody);
  if (type.startsWith('application/json')) return fromJson(c.req.valid('json') as JsonBody);
  throw new AppError('validation_failed', 'send the document as JSON or as a multipart/form-data upload', [{ field: 'body', message: 'required' }]);
}

/** Too many chunks is a fault of the content: the `content` field, or the uploaded `file`. */
const tooLarge =
  (contentType: string | undefined) =>
  (err: unknown): never => {
    if (!(err instanceof DocumentTooLarge)) throw err;
    const field = contentType?.toLowerCase().startsWith('multipart/form-data') ? 'file' : 'content';
    throw new AppError('validation_failed', err.message, [{ field, message: err.message }]);
  };

/** Starts indexing the document: 202 while a workflow builds it, else `done` with the indexed document. */
async function indexed<S extends 200 | 201>(c: Context<AppEnv>, doc: KbDocument, done: S) {
  const started = await startIndexing(c.get('deps'), c.get('principal').tenantId, doc);
  return started.queued ? c.json(view(started.doc), 202) : c.json(view(started.doc), done);
}
