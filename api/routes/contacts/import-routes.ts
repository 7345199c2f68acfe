import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { stream } from 'hono/streaming';
import { parseRows, csvField } from '../../../activities/contacts/csv.js';
import { isImportTarget, planChunk } from '../../../activities/contacts/import-rows.js';
import { withTenant } from '../../../db/client.js';
import { contactImportErrors, contactImports, contacts } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError, ErrorBody, notFound, validationError } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { ContactFilters, contactListWhere } from './contact-list-filters.js';

export const IMPORT_MAX_BYTES = 64 * 1024 * 1024;
const PREVIEW_ROWS = 200;

const ImportView = z
  .object({
    id: z.string().uuid(),
    status: z.enum(['uploaded', 'running', 'done', 'failed']),
    columns: z.array(z.string()),
    mapping: z.record(z.string(), z.string()).nullable(),
    rowsTotal: z.number().int().describe('Estimated from the line count until the import is done'),
    rowsDone: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    failed: z.number().int(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('ContactImport');
type ImportRow = Omit<typeof contactImports.$inferSelect, 'content'>;
// Everything but the file itself, which only the import reads, a window at a time.
const toView = (i: ImportRow) => ({
  id: i.id, status: i.status, columns: i.columns, mapping: i.mapping, rowsTotal: i.status === 'done' ? i.rowsDone : i.rowsTotal, rowsDone: i.rowsDone,
  created: i.created, updated: i.updated, failed: i.failed, createdAt: i.createdAt.toISOString(), finishedAt: i.finishedAt?.toISOString() ?? null,
});
const { content: _file, ...summaryColumns } = getTableColumns(contactImports);

const Mapping = z
  .record(z.string().min(1), z.string().refine(isImportTarget, 'map to name, email, phone, tags or attributes.<key>'))
  .refine((m) => Object.values(m).some((t) => ['name', 'email', 'phone'].includes(t)), 'map at least one column to name, email or phone')
  .refine((m) => ['name', 'email', 'phone', 'tags'].every((f) => Object.values(m).filter((t) => t === f).length <= 1), 'map each field from one column');

/** Every mapped column is one of the file's, or a 400 naming each that is not. */
function assertColumns(columns: string[], mapping: Record<string, string>) {
  const unknown = Object.keys(mapping).filter((col) => !columns.includes(col));
  if (unknown.length) throw new AppError('validation_failed', `no such column: ${unknown.join(', ')}`, unknown.map((col) => ({ field: `mapping.${col}`, message: 'not a column of the file' })));
}

export const importRoutes = newRouter();
importRoutes.use('/contacts/imports', requireUser);
importRoutes.use('/contacts/imports/*', requireUser);
importRoutes.use('/contacts/export.csv', requireUser);

async function loadImport(db: Parameters<typeof withTenant>[0], tenantId: string, id: string) {
  const [row] = await withTenant(db, tenantId, (tx) => tx.select(summaryColumns).from(contactImports).where(eq(contactImports.id, id)));
  if (!row) throw notFound('import');
  return row;
}

importRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/contacts/imports',
    tags: ['contacts'],
    summary: 'Upload a CSV file (text/csv, up to 64 MB, a header row first): answers its columns and first rows, for the mapping step',
    security,
    responses: { 201: jsonResponse('Uploaded', z.object({ import: ImportView, sample: z.array(z.array(z.string())) })), 413: jsonResponse('Too large', ErrorBody), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    if (!(c.req.header('content-type') ?? '').includes('csv')) throw new AppError('unsupported_media_type', 'send the file as text/csv', [{ field: 'Content-Type', message: 'use text/csv' }]);
    const content = (await c.req.text()).replace(/^\uFEFF/, '');
    if (content.includes('\u0000')) throw new AppError('validation_failed', 'the file is not text', [{ field: 'body', message: 'binary data' }]);
    const head = parseRows(content.slice(0, 256 * 1024), { final: content.length <= 256 * 1024, maxRows: 6 });
    const [header, ...sample] = head.rows;
    if (!header || header.every((h) => !h.trim())) throw new AppError('validation_failed', 'the file has no header row', [{ field: 'body', message: 'a header row naming the columns comes first' }]);
    const columns = header.map((h) => h.trim());
    if (new Set(columns).size !== columns.length) throw new AppError('validation_failed', 'two columns have the same name', [{ field: 'body', message: 'column names must be unique' }]);
    const headerLength = parseRows(content.slice(0, 256 * 1024), { final: content.length <= 256 * 1024, maxRows: 1 }).consumed;
    let lines = 0;
    for (let i = headerLength; i < content.length; i++) if (content.charCodeAt(i) === 10) lines++;
    if (content.length > headerLength && !content.endsWith('\n')) lines++;
    const [row] = await withTenant(c.get('deps').db, p.tenantId, (tx) =>
      tx.insert(contactImports).values({ tenantId: p.tenantId, columns, content, offset: headerLength, rowsTotal: lines, createdBy: p.userId }).returning(summaryColumns),
    );
    return c.json({ import: toView(row), sample }, 201);
  },
);

importRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/contacts/imports/{id}/preview',
    tags: ['contacts'],
    summary: 'A dry run of a mapping over the first 200 rows: what would be created, updated, and which rows fail and why. Nothing is written',
    security,
    request: { params: IdParam, ...jsonBody(z.object({ mapping: Mapping })) },
    responses: { 200: jsonResponse('Preview', z.object({ rows: z.number().int(), wouldCreate: z.number().int(), wouldUpdate: z.number().int(), errors: z.array(z.object({ row: z.number().int(), message: z.string() })) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const { id } = c.req.valid('param');
    const { mapping } = c.req.valid('json');
    const out = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [imp] = await tx.select({ columns: contactImports.columns, offset: contactImports.offset, window: sql<string>`substring(${contactImports.content} from ${contactImports.offset} + 1 for 1000000)`, total: sql<number>`length(${contactImports.content})` }).from(contactImports).where(eq(contactImports.id, id));
      if (!imp) throw notFound('import');
      assertColumns(imp.columns, mapping);
      const { rows } = parseRows(imp.window, { final: imp.offset + imp.window.length >= imp.total, maxRows: PREVIEW_ROWS });
      const plan = await planChunk(tx, rows, imp.columns, mapping, 2);
      return { rows: rows.length, wouldCreate: plan.inserts.length, wouldUpdate: plan.updates.length, errors: plan.errors.map((e) => ({ row: e.rowNumber, message: e.message })) };
    });
    return c.json(out, 200);
  },
);

importRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/contacts/imports/{id}/start',
    tags: ['contacts'],
    summary: 'Run the import with a column mapping, as a Temporal workflow: a restart resumes it',
    security,
    request: { params: IdParam, ...jsonBody(z.object({ mapping: Mapping })) },
    responses: { 202: jsonResponse('Started', z.object({ import: ImportView })), 409: jsonResponse('Already started', ErrorBody), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const { id } = c.req.valid('param');
    const { mapping } = c.req.valid('json');
    const deps = c.get('deps');
    const row = await withTenant(deps.db, p.tenantId, async (tx) => {
      const [imp] = await tx.select(summaryColumns).from(contactImports).where(eq(contactImports.id, id)).for('update');
      if (!imp) throw notFound('import');
      if (imp.status !== 'uploaded') throw new AppError('conflict', `the import is already ${imp.status}`);
      assertColumns(imp.columns, mapping);
      const [updated] = await tx.update(contactImports).set({ status: 'running', mapping }).where(eq(contactImports.id, id)).returning(summaryColumns);
      return updated;
    });
    await deps.temporal.workflow.start('contactImportWorkflow', { workflowId: `import:${p.tenantId}:${id}`, taskQueue: deps.taskQueue, args: [{ tenantId: p.tenantId, importId: id }], searchAttributes: { TenantId: [p.tenantId] } });
    return c.json({ import: toView(row) }, 202);
  },
);

importRoutes.openapi(
  createRoute({ method: 'get', path: '/contacts/imports/{id}', tags: ['contacts'], summary: "An import's progress and counts", security, request: { params: IdParam }, responses: { 200: jsonResponse('Import', z.object({ import: ImportView })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:read');
    return c.json({ import: toView(await loadImport(c.get('deps').db, p.tenantId, c.req.valid('param').id)) }, 200);
  },
);

importRoutes.get('/contacts/imports/:id/errors.csv', async (c) => {
  const p = c.get('principal');
  assertCan(p, 'crm:read');
  const id = c.req.param('id');
  if (!z.string().uuid().safeParse(id).success) throw new AppError('validation_failed', 'id is not a uuid', [{ field: 'id', message: 'Invalid UUID' }]);
  await loadImport(c.get('deps').db, p.tenantId, id);
  const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(contactImportErrors).where(eq(contactImportErrors.importId, id)).orderBy(asc(contactImportErrors.rowNumber)).limit(100_000));
  c.header('content-type', 'text/csv; charset=utf-8');
  c.header('content-disposition', `attachment; filename="import-${id}-errors.csv"`);
  return c.body(['row,error', ...rows.map((r) => `${r.rowNumber},${csvField(r.message)}`)].join('\n') + '\n');
});

/** A search exports its best matches, at most this many; the other filters export every match. */
const EXPORT_SEARCH_MATCHES = 10_000;

importRoutes.get('/contacts/export.csv', async (c) => {
  const p = c.get('principal');
  assertCan(p, 'crm:read');
  const parsed = ContactFilters.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error, 'query');
  const where = await contactListWhere(c.get('deps').db, p.tenantId, parsed.data, EXPORT_SEARCH_MATCHES);
  const filters = where?.filters ?? [sql`false`];
  const db = c.get('deps').db;
  c.header('content-type', 'text/csv; charset=utf-8');
  c.header('content-disposition', 'attachment; filename="contacts.csv"');
  // Page by page on the id, so a large workspace streams out in bounded memory.
  return stream(c, async (out) => {
    await out.write('id,name,email,phone,tags,attributes,created_at\n');
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await withTenant(db, p.tenantId, (tx) => tx.select().from(contacts).where(and(...filters, sql`${contacts.id} > ${after}`)).orderBy(asc(contacts.id)).limit(2000));
      if (!page.length) break;
      await out.write(page.map((r) => [r.id, r.name, r.email, r.phone, r.tags.join(';'), r.attributes, r.createdAt.toISOString()].map(csvField).join(',')).join('\n') + '\n');
      after = page[page.length - 1].id;
    }
  });
});
