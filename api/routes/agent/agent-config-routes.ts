import { createRoute, z } from '@hono/zod-openapi';
import { AgentConfigSchema } from '../../../activities/ai/config/agent-config.js';
import { activateConfigVersion, activeAgentConfig, createConfigVersion, getConfigVersion, listConfigVersions } from '../../../db/mongo/agent-configs.js';
import { assertCan } from '../../auth/permissions.js';
import { notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';

const AGENT = 'default';
const VersionParam = z.object({ version: z.coerce.number().int().min(1).openapi({ param: { name: 'version', in: 'path' } }) });
// Plain zod (shared with the worker), so it carries no OpenAPI component name of its own.
const Config = AgentConfigSchema;
const VersionView = z.object({ version: z.number().int(), createdBy: z.string(), createdAt: z.string() }).openapi('AgentConfigVersion');
const mongo = (c: { get: (k: 'deps') => { mongo: import('mongodb').MongoClient } }) => c.get('deps').mongo.db();

export const agentConfigRoutes = newRouter();
agentConfigRoutes.use('*', requireUser);

agentConfigRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['agent'],
    summary: "The AI agent's active configuration (defaults until a version is activated)",
    security,
    responses: { 200: jsonResponse('Active configuration', z.object({ activeVersion: z.number().int(), config: Config })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:read');
    const active = await activeAgentConfig(mongo(c), p.tenantId, AGENT);
    return c.json({ activeVersion: active.version, config: active.config }, 200);
  },
);

agentConfigRoutes.openapi(
  createRoute({ method: 'get', path: '/versions', tags: ['agent'], summary: 'Stored configuration versions, newest first', security, responses: { 200: jsonResponse('Versions', z.object({ versions: z.array(VersionView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:read');
    const list = await listConfigVersions(mongo(c), p.tenantId, AGENT);
    return c.json({ versions: list.map((v) => ({ version: v.version, createdBy: v.createdBy, createdAt: new Date(v.createdAt).toISOString() })) }, 200);
  },
);

agentConfigRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/versions',
    tags: ['agent'],
    summary: 'Store a new configuration version (validated; not active until activated)',
    security,
    request: jsonBody(Config),
    responses: { 201: jsonResponse('Stored', VersionView.extend({ config: Config })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:manage');
    const v = await createConfigVersion(mongo(c), p.tenantId, AGENT, c.req.valid('json'), p.userId);
    return c.json({ version: v.version, createdBy: v.createdBy, createdAt: v.createdAt.toISOString(), config: v.config }, 201);
  },
);

agentConfigRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/versions/{version}',
    tags: ['agent'],
    summary: 'One configuration version',
    security,
    request: { params: VersionParam },
    responses: { 200: jsonResponse('Version', VersionView.extend({ config: Config })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:read');
    const v = await getConfigVersion(mongo(c), p.tenantId, AGENT, c.req.valid('param').version);
    if (!v) throw notFound('configuration version');
    return c.json({ version: v.version, createdBy: v.createdBy, createdAt: new Date(v.createdAt).toISOString(), config: AgentConfigSchema.parse(v.config) }, 200);
  },
);

agentConfigRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/versions/{version}/activate',
    tags: ['agent'],
    summary: 'Make a version the one the agent runs; the next message uses it',
    security,
    request: { params: VersionParam },
    responses: { 200: jsonResponse('Activated', z.object({ activeVersion: z.number().int() })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'agent:manage');
    const { version } = c.req.valid('param');
    if (!(await activateConfigVersion(mongo(c), p.tenantId, AGENT, version))) throw notFound('configuration version');
    return c.json({ activeVersion: version }, 200);
  },
);
