import { createRoute, z } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import { z as zod } from 'zod';
import { asc, eq, sql } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { sealCredential } from '../../../db/credential-crypto.js';
import { httpToolMethod, httpTools } from '../../../db/schema/index.js';
import { TOOL_NAMES } from '../../../activities/ai/config/agent-config.js';
import { ENDPOINT_TOOLS } from '../../../activities/ai/tools/catalog.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { HttpUrl } from '../../schemas.js';

const HttpToolView = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    description: z.string(),
    url: z.string(),
    method: z.enum(httpToolMethod.enumValues),
    parameters: z.record(z.string(), z.unknown()),
    authHeaderName: z.string().nullable(),
    authHint: z.string().nullable().describe('The last four characters of the auth header value; the value is never returned.'),
    requiresApproval: z.boolean(),
    enabled: z.boolean(),
    timeoutMs: z.number().int(),
  })
  .openapi('HttpTool');

/** A JSON schema the model fills in: an object schema, small, and one we can validate arguments with. */
const ParametersSchema = z
  .record(z.string(), z.unknown())
  .refine((s) => s.type === 'object', "must be a JSON schema with type 'object'")
  .refine((s) => JSON.stringify(s).length <= 8000, 'must be at most 8000 characters of JSON')
  .refine((s) => {
    try {
      zod.fromJSONSchema(s as Parameters<typeof zod.fromJSONSchema>[0]);
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid JSON schema');

const ToolBody = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be snake_case, 2 to 40 characters')
    .refine((n) => !(TOOL_NAMES as readonly string[]).includes(n) || ENDPOINT_TOOLS.has(n), 'is a built-in tool name; only lookup_order and issue_refund can be bound to an endpoint'),
  description: z.string().trim().min(1).max(500),
  url: HttpUrl(1000),
  method: z.enum(httpToolMethod.enumValues).default('POST'),
  parameters: ParametersSchema.default({ type: 'object', properties: {} }),
  authHeaderName: z.string().regex(/^[A-Za-z0-9-]{1,60}$/, 'must be an HTTP header name').optional(),
  authHeaderValue: z.string().min(1).max(2000).optional(),
  requiresApproval: z.boolean().default(false),
  enabled: z.boolean().default(true),
  timeoutMs: z.number().int().min(500).max(30_000).default(5000),
});

type Row = typeof httpTools.$inferSelect;
const view = (r: Row) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  url: r.url,
  method: r.method,
  parameters: r.parameters,
  authHeaderName: r.authHeaderName,
  authHint: r.authHint,
  requiresApproval: r.requiresApproval,
  enabled: r.enabled,
  timeoutMs: r.timeoutMs,
});

function sealAuth(masterKey: Buffer, tenantId: string, id: string, name: string | undefined, value: string | undefined) {
  if ((name === undefined) !== (value === undefined)) {
    throw new AppError('validation_failed', 'authHeaderName and authHeaderValue go together', [{ field: name === undefined ? 'authHeaderName' : 'authHeaderValue', message: 'required with the other' }]);
  }
  if (!name || !value) return {};
  const { sealed, hint } = sealCredential(masterKey, tenantId, id, value);
  return { authHeaderName: name, sealedAuthHeader: sealed, authHint: hint };
}

/** The workspace's own HTTP endpoints offered to the AI agent as tools; their auth headers are stored encrypted. */
export const httpToolRoutes = newRouter();
httpToolRoutes.use('*', requireUser);

httpToolRoutes.openapi(
  createRoute({ method: 'get', path: '/', tags: ['agent'], summary: "The workspace's HTTP tools", security, responses: { 200: jsonResponse('HTTP tools', z.object({ tools: z.array(HttpToolView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:read');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(httpTools).orderBy(asc(httpTools.name)));
    return c.json({ tools: rows.map(view) }, 200);
  },
);

httpToolRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['agent'],
    summary: 'Add an HTTP tool, or bind lookup_order / issue_refund to the shop’s endpoint',
    security,
    request: jsonBody(ToolBody),
    responses: { 201: jsonResponse('Added', HttpToolView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:manage');
    const body = c.req.valid('json');
    const { db, config } = c.get('deps');
    const id = randomUUID();
    const auth = sealAuth(config.CREDENTIALS_MASTER_KEY, p.tenantId, id, body.authHeaderName, body.authHeaderValue);
    const { authHeaderValue: _, ...fields } = body;
    const [row] = await withTenant(db, p.tenantId, (tx) => tx.insert(httpTools).values({ ...fields, ...auth, id, tenantId: p.tenantId }).returning());
    return c.json(view(row), 201);
  },
);

httpToolRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['agent'],
    summary: 'Change an HTTP tool; a new auth header value replaces the stored one',
    security,
    request: { params: IdParam, ...jsonBody(ToolBody.partial().omit({ name: true })) },
    responses: { 200: jsonResponse('Changed', HttpToolView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:manage');
    const body = c.req.valid('json');
    const { id } = c.req.valid('param');
    const { db, config } = c.get('deps');
    const { authHeaderValue, authHeaderName, ...fields } = body;
    const auth = authHeaderValue !== undefined || authHeaderName !== undefined ? sealAuth(config.CREDENTIALS_MASTER_KEY, p.tenantId, id, authHeaderName, authHeaderValue) : {};
    const [row] = await withTenant(db, p.tenantId, (tx) =>
      tx
        .update(httpTools)
        .set({ ...fields, ...auth, updatedAt: sql`now()` })
        .where(eq(httpTools.id, id))
        .returning(),
    );
    if (!row) throw notFound('HTTP tool');
    return c.json(view(row), 200);
  },
);

httpToolRoutes.openapi(
  createRoute({ method: 'delete', path: '/{id}', tags: ['agent'], summary: 'Remove an HTTP tool', security, request: { params: IdParam }, responses: { 204: { description: 'Removed' }, ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:manage');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.delete(httpTools).where(eq(httpTools.id, c.req.valid('param').id)).returning({ id: httpTools.id }));
    if (!rows.length) throw notFound('HTTP tool');
    return c.body(null, 204);
  },
);
