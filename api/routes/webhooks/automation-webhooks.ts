import { eq } from 'drizzle-orm';
import { automations } from '../../../db/schema/index.js';
import { startAutomationRun } from '../../../temporal/automation-starter.js';
import { AppError } from '../../errors.js';
import { newRouter } from '../../router.js';

const TOKEN = /^[0-9a-f]{48}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
// Kept on the run's row and rendered into its steps, so capped like a draft, below the API-wide body limit.
const MAX_BODY_BYTES = 256 * 1024;

/**
 * An automation's own webhook, at /webhooks/automations/<secret>: any system may start a run by
 * POSTing a JSON object. The unguessable path is the credential (like a Slack incoming webhook); it
 * is looked up before any tenant is known (decision 002), and everything after runs in its tenant.
 * An `Idempotency-Key` header makes retries of one delivery start one run.
 */
export const automationWebhooks = newRouter();

automationWebhooks.post('/:token', async (c) => {
  const deps = c.get('deps');
  const token = c.req.param('token');
  const missing = new AppError('not_found', 'no such webhook');
  if (!TOKEN.test(token)) throw missing;
  const [a] = await deps.db.select().from(automations).where(eq(automations.webhookToken, token));
  if (!a) throw missing;
  if (!a.enabled || !a.activeVersionId || a.triggerType !== 'trigger.webhook') {
    throw new AppError('conflict', 'this automation is not published with a webhook trigger, or it is paused');
  }
  const key = c.req.header('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 200 visible ASCII characters', [{ field: 'Idempotency-Key', message: 'invalid' }]);
  }
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError('validation_failed', 'the body must be at most 256 KB', [{ field: 'body', message: 'too large' }]);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('validation_failed', 'the body must be a JSON object', [{ field: 'body', message: 'not JSON' }]);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('validation_failed', 'the body must be a JSON object', [{ field: 'body', message: 'not an object' }]);
  const run = await startAutomationRun(deps.db, deps.temporal, deps.taskQueue, {
    tenantId: a.tenantId,
    automationId: a.id,
    versionId: a.activeVersionId,
    eventKey: `webhook:${key ?? crypto.randomUUID()}`,
    triggerType: 'trigger.webhook',
    trigger: {
      body,
      headers: { 'content-type': c.req.header('content-type') ?? null, 'user-agent': c.req.header('user-agent') ?? null },
      receivedAt: new Date().toISOString(),
    },
  });
  return c.json({ runId: run.runId, duplicate: !run.created }, 202);
});
