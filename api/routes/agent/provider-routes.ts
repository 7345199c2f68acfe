import { createRoute, z } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { sealCredential } from '../../../db/credential-crypto.js';
import { llmProviderKind, llmProviders } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { HttpUrl } from '../../schemas.js';

const ProviderView = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(llmProviderKind.enumValues),
    baseUrl: z.string().nullable(),
    model: z.string(),
    priority: z.number().int(),
    enabled: z.boolean(),
    apiKeyHint: z.string().describe('The last four characters; the key itself is never returned.'),
  })
  .openapi('LlmProvider');
const DEFAULT_MODEL = { openai: 'gpt-4o-mini', groq: 'llama-3.3-70b-versatile' } as const;
const view = (r: typeof llmProviders.$inferSelect) => ({ id: r.id, kind: r.kind, baseUrl: r.baseUrl, model: r.model, priority: r.priority, enabled: r.enabled, apiKeyHint: r.apiKeyHint });

export const providerRoutes = newRouter();
providerRoutes.use('*', requireUser);

providerRoutes.openapi(
  createRoute({ method: 'get', path: '/', tags: ['agent'], summary: "The workspace's LLM providers, in the order they are tried", security, responses: { 200: jsonResponse('Providers', z.object({ providers: z.array(ProviderView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:read');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(llmProviders).orderBy(asc(llmProviders.priority), asc(llmProviders.createdAt)));
    return c.json({ providers: rows.map(view) }, 200);
  },
);

providerRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['agent'],
    summary: 'Add an LLM provider (OpenAI, Groq, or any OpenAI-compatible server by base URL); its key is stored encrypted',
    security,
    request: jsonBody(
      z.object({
        kind: z.enum(llmProviderKind.enumValues),
        apiKey: z.string().min(1).max(500),
        baseUrl: HttpUrl(500).optional(),
        model: z.string().min(1).max(100).optional(),
        priority: z.number().int().min(1).max(10).default(1),
      }),
    ),
    responses: { 201: jsonResponse('Added', ProviderView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:manage');
    const body = c.req.valid('json');
    const { db, config } = c.get('deps');
    const id = randomUUID();
    const { sealed, hint } = sealCredential(config.CREDENTIALS_MASTER_KEY, p.tenantId, id, body.apiKey);
    const [row] = await withTenant(db, p.tenantId, (tx) =>
      tx
        .insert(llmProviders)
        .values({ id, tenantId: p.tenantId, kind: body.kind, baseUrl: body.baseUrl ?? null, model: body.model ?? DEFAULT_MODEL[body.kind], sealedApiKey: sealed, apiKeyHint: hint, priority: body.priority })
        .returning(),
    );
    return c.json(view(row), 201);
  },
);

providerRoutes.openapi(
  createRoute({ method: 'delete', path: '/{id}', tags: ['agent'], summary: 'Remove an LLM provider', security, request: { params: IdParam }, responses: { 204: { description: 'Removed' }, ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:manage');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.delete(llmProviders).where(eq(llmProviders.id, c.req.valid('param').id)).returning({ id: llmProviders.id }));
    if (!rows.length) throw notFound('provider');
    return c.body(null, 204);
  },
);
