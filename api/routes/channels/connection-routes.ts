import { createRoute, z } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { z as zod } from 'zod';
import { withTenant } from '../../../db/client.js';
import { sealSecrets, unsealSecrets } from '../../../db/credential-crypto.js';
import { CONNECTION_KINDS, channelConnections } from '../../../db/schema/index.js';
import { CONNECTION_SPECS } from '../../../activities/channels/connection-specs.js';
import { defaultChannelSenders } from '../../../activities/channels/senders.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError, notFound, validationError } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { webhookUrl } from './webhook-urls.js';

const ConnectionView = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(CONNECTION_KINDS),
    name: z.string(),
    config: z.record(z.string(), z.unknown()),
    secretHints: z.record(z.string(), z.string()).describe('The last four characters of each secret; secrets are never returned.'),
    sandbox: z.boolean().describe('No credentials: sends are recorded as sent and nothing leaves the platform.'),
    status: z.enum(['active', 'disconnected']),
    webhookUrl: z.string().nullable().describe("Where the provider posts inbound messages and statuses; null for kinds configured from the provider's side."),
    lastTest: z.object({ at: z.string(), ok: z.boolean(), message: z.string() }).nullable(),
    createdAt: z.string(),
  })
  .openapi('ChannelConnection');

type Row = typeof channelConnections.$inferSelect;
const view = (r: Row, publicUrl: string) => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  config: r.config,
  secretHints: r.secretHints,
  sandbox: r.sealedSecrets === null,
  status: r.status,
  webhookUrl: webhookUrl(publicUrl, r.kind, r.id),
  lastTest: r.lastTestedAt && r.lastTestResult ? { at: r.lastTestedAt.toISOString(), ...r.lastTestResult } : null,
  createdAt: r.createdAt.toISOString(),
});

const Settings = z.record(z.string(), z.unknown());

/** Validates one kind's settings; errors name the field as `config.x` or `secrets.x`. */
function parseWith<T>(schema: zod.ZodType<T>, value: unknown, prefix: 'config' | 'secrets'): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const err = validationError(parsed.error, 'json');
    throw new AppError('validation_failed', err.message.replace('invalid json: ', `invalid ${prefix}: `), err.fields?.map((f) => ({ ...f, field: `${prefix}.${f.field === 'body' ? '' : f.field}`.replace(/\.$/, '') })));
  }
  return parsed.data;
}

function seal(masterKey: Buffer, tenantId: string, id: string, secrets: Record<string, string | undefined>) {
  const present = Object.fromEntries(Object.entries(secrets).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const { sealed, hints } = sealSecrets(masterKey, tenantId, id, present);
  return { sealedSecrets: sealed, secretHints: hints };
}

/** Connected provider accounts: WhatsApp and SMS (Twilio), email (SES), Instagram, Telegram and a Chatwoot bridge. */
export const connectionRoutes = newRouter();
connectionRoutes.use('*', requireUser);

connectionRoutes.openapi(
  createRoute({ method: 'get', path: '/', tags: ['channels'], summary: "The workspace's channel connections", security, responses: { 200: jsonResponse('Connections', z.object({ connections: z.array(ConnectionView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'channels:read');
    const { db, config } = c.get('deps');
    const rows = await withTenant(db, p.tenantId, (tx) => tx.select().from(channelConnections).orderBy(asc(channelConnections.createdAt)));
    return c.json({ connections: rows.map((r) => view(r, config.PUBLIC_URL)) }, 200);
  },
);

connectionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['channels'],
    summary: 'Connect a channel. Without secrets it runs on the sandbox transport (offline).',
    security,
    request: jsonBody(z.object({ kind: z.enum(CONNECTION_KINDS), name: z.string().trim().min(1).max(80), config: Settings.default({}), secrets: Settings.optional() })),
    responses: { 201: jsonResponse('Connected', ConnectionView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'channels:manage');
    const body = c.req.valid('json');
    const { db, config } = c.get('deps');
    const spec = CONNECTION_SPECS[body.kind];
    const settings = parseWith(spec.config as zod.ZodType<Record<string, unknown>>, body.config, 'config');
    const secrets = body.secrets === undefined ? undefined : parseWith(spec.secrets as zod.ZodType<Record<string, string | undefined>>, body.secrets, 'secrets');
    const id = randomUUID();
    const sealed = secrets ? seal(config.CREDENTIALS_MASTER_KEY, p.tenantId, id, secrets) : {};
    const [row] = await withTenant(db, p.tenantId, (tx) => tx.insert(channelConnections).values({ id, tenantId: p.tenantId, kind: body.kind, name: body.name, config: settings, ...sealed }).returning());
    return c.json(view(row, config.PUBLIC_URL), 201);
  },
);

connectionRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['channels'],
    summary: 'Change a connection; secrets given replace the stored ones, `secrets: null` returns it to the sandbox',
    security,
    request: { params: IdParam, ...jsonBody(z.object({ name: z.string().trim().min(1).max(80).optional(), config: Settings.optional(), secrets: Settings.nullable().optional() })) },
    responses: { 200: jsonResponse('Changed', ConnectionView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'channels:manage');
    const body = c.req.valid('json');
    const { id } = c.req.valid('param');
    const { db, config } = c.get('deps');
    const row = await withTenant(db, p.tenantId, async (tx) => {
      const [current] = await tx.select().from(channelConnections).where(eq(channelConnections.id, id));
      if (!current) throw notFound('connection');
      const spec = CONNECTION_SPECS[current.kind];
      const settings = body.config === undefined ? {} : { config: parseWith(spec.config as zod.ZodType<Record<string, unknown>>, body.config, 'config') };
      let sealed = {};
      if (body.secrets === null) sealed = { sealedSecrets: null, secretHints: {} };
      else if (body.secrets !== undefined) {
        // Secrets not given keep their stored value: a form can change one without retyping the others.
        const stored = current.sealedSecrets ? unsealSecrets(config.CREDENTIALS_MASTER_KEY, p.tenantId, id, current.sealedSecrets) : {};
        const merged = parseWith(spec.secrets as zod.ZodType<Record<string, string | undefined>>, { ...stored, ...body.secrets }, 'secrets');
        sealed = seal(config.CREDENTIALS_MASTER_KEY, p.tenantId, id, merged);
      }
      const [updated] = await tx
        .update(channelConnections)
        .set({ ...(body.name && { name: body.name }), ...settings, ...sealed, updatedAt: sql`now()` })
        .where(eq(channelConnections.id, id))
        .returning();
      return updated;
    });
    return c.json(view(row, config.PUBLIC_URL), 200);
  },
);

connectionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/test',
    tags: ['channels'],
    summary: "Check the connection's credentials against the provider",
    security,
    request: { params: IdParam },
    responses: { 200: jsonResponse('Tested', ConnectionView), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'channels:manage');
    const { id } = c.req.valid('param');
    const { db, config } = c.get('deps');
    const [current] = await withTenant(db, p.tenantId, (tx) => tx.select().from(channelConnections).where(eq(channelConnections.id, id)));
    if (!current) throw notFound('connection');
    let result: { ok: boolean; message: string };
    if (!current.sealedSecrets) result = { ok: true, message: 'Sandbox: messages are recorded as sent and nothing leaves the platform.' };
    else {
      const sender = defaultChannelSenders(config.PROVIDER_URLS, { allowPrivateNetworks: config.ALLOW_PRIVATE_NETWORK_URLS })[current.kind];
      const secrets = unsealSecrets(config.CREDENTIALS_MASTER_KEY, p.tenantId, id, current.sealedSecrets);
      result = sender?.test
        ? await sender.test({ id, tenantId: p.tenantId, kind: current.kind, config: current.config, secrets }, { webhookUrl: webhookUrl(config.PUBLIC_URL, current.kind, id) }).catch((err: Error) => ({ ok: false, message: err.message }))
        : { ok: false, message: `testing ${current.kind} connections is not supported` };
    }
    const [row] = await withTenant(db, p.tenantId, (tx) =>
      tx.update(channelConnections).set({ lastTestedAt: sql`now()`, lastTestResult: result }).where(eq(channelConnections.id, id)).returning(),
    );
    return c.json(view(row, config.PUBLIC_URL), 200);
  },
);

for (const [path, status, summary] of [
  ['disconnect', 'disconnected', 'Stop sending and receiving on this connection; its conversations stay'],
  ['reconnect', 'active', 'Resume a disconnected connection'],
] as const) {
  connectionRoutes.openapi(
    createRoute({ method: 'post', path: `/{id}/${path}`, tags: ['channels'], summary, security, request: { params: IdParam }, responses: { 200: jsonResponse('Changed', ConnectionView), ...errors } }),
    async (c) => {
      const p = c.get('principal');
      assertCan(p, 'channels:manage');
      const { db, config } = c.get('deps');
      const [row] = await withTenant(db, p.tenantId, (tx) =>
        tx.update(channelConnections).set({ status, updatedAt: sql`now()` }).where(eq(channelConnections.id, c.req.valid('param').id)).returning(),
      );
      if (!row) throw notFound('connection');
      return c.json(view(row, config.PUBLIC_URL), 200);
    },
  );
}

