import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors.js';
import { newRouter } from '../../router.js';
import { InvalidEmail } from '../../services/email/email-mime.js';
import { ingestEmail } from '../../services/email/email-ingest.js';
import { handleSesNotification } from '../../services/email/ses-notifications.js';
import { SnsEnvelope, SnsVerificationError, isSnsUrl, snsCertCache, verifySnsMessage } from '../../services/email/sns-message.js';
import { webhookConnection } from '../../services/webhook-connections.js';

const KINDS = ['email'] as const;
const fetchCert = snsCertCache();
const patterns = new Map<string, RegExp>();
const patternOf = (s: string) => patterns.get(s) ?? patterns.set(s, new RegExp(s)).get(s)!;

const forbidden = (field: string, message: string) => new AppError('forbidden', message, [{ field, message }]);
const invalid = (field: string, message: string) => new AppError('validation_failed', message, [{ field, message }]);
const asAppError = (err: unknown) => (err instanceof InvalidEmail ? invalid(err.field, err.message) : err);

/**
 * Amazon SES mail for an email connection, at /webhooks/ses/<connection id>: the HTTPS endpoint of
 * the SNS topic the receipt rule (and the bounce, complaint and delivery notifications) publish to.
 * Every message must carry a valid SNS signature from a certificate on SNS's own host, and come
 * from the connection's topic; anything else is 403 before any of it is read.
 */
export const sesWebhooks = newRouter();

sesWebhooks.post('/:connectionId', async (c) => {
  const deps = c.get('deps');
  const conn = await webhookConnection(deps.db, deps.config.CREDENTIALS_MASTER_KEY, c.req.param('connectionId'), KINDS);
  let json: any;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    throw invalid('body', 'the body is not an SNS message (not JSON)');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('body', 'the body is not an SNS message');
  // An unsigned message is a forgery, not a malformed one.
  for (const field of ['Signature', 'SignatureVersion', 'SigningCertURL'] as const) {
    if (typeof json[field] !== 'string' || !json[field]) throw forbidden(field, `${field} is missing`);
  }
  const parsed = SnsEnvelope.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue.path.join('.') || 'body', `${issue.path.join('.')}: ${issue.message}`);
  }
  const m = parsed.data;
  const topic = (conn.config as { snsTopicArn?: string }).snsTopicArn;
  if (!topic) throw forbidden('TopicArn', 'the connection has no snsTopicArn, so no SNS topic is accepted');
  if (m.TopicArn !== topic) throw forbidden('TopicArn', "TopicArn is not the connection's snsTopicArn");
  const certUrlPattern = patternOf(deps.config.SNS_CERT_URL_PATTERN);
  try {
    await verifySnsMessage(m, { certUrlPattern, fetchCert });
  } catch (err) {
    if (err instanceof SnsVerificationError) throw forbidden('Signature', `SNS signature check failed: ${err.message}`);
    throw err;
  }
  // Acknowledged so SNS stops retrying; a disconnected channel takes nothing in.
  if (conn.disconnected) return c.json({ ok: true, dropped: true }, 200);

  if (m.Type === 'SubscriptionConfirmation') {
    if (!isSnsUrl(m.SubscribeURL!, certUrlPattern, false)) throw forbidden('SubscribeURL', 'SubscribeURL is not on SNS');
    const res = await fetch(m.SubscribeURL!, { signal: AbortSignal.timeout(10_000), redirect: 'error' }).catch((err: Error) => err);
    if (res instanceof Error || !res.ok) {
      throw new AppError('unavailable', `SNS did not confirm the subscription: ${res instanceof Error ? res.message : `HTTP ${res.status}`}`);
    }
    return c.json({ ok: true, confirmed: true }, 200);
  }
  if (m.Type === 'UnsubscribeConfirmation') return c.json({ ok: true }, 200);

  const outcome = await handleSesNotification(deps, conn, m.Message).catch((err) => {
    throw asAppError(err);
  });
  return c.json({ ok: true, ...outcome }, 200);
});

/**
 * Raw MIME (message/rfc822) from a forwarder that does not use SNS, authenticated with the
 * connection's inboundToken as a bearer token.
 */
sesWebhooks.post('/:connectionId/raw', async (c) => {
  const deps = c.get('deps');
  const conn = await webhookConnection(deps.db, deps.config.CREDENTIALS_MASTER_KEY, c.req.param('connectionId'), KINDS);
  const expected = conn.secrets.inboundToken;
  if (!expected) throw forbidden('Authorization', 'this connection has no inboundToken, so it takes no raw MIME');
  const presented = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
  // Digests first: equal lengths for timingSafeEqual, and nothing about the token's length leaks.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  if (!presented || !timingSafeEqual(digest(presented), digest(expected))) {
    throw new AppError('unauthorized', 'invalid or missing bearer token', [{ field: 'Authorization', message: "must be 'Bearer <inboundToken>'" }]);
  }
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'message/rfc822') throw new AppError('unsupported_media_type', 'the body must be message/rfc822', [{ field: 'Content-Type', message: 'must be message/rfc822' }]);
  if (conn.disconnected) return c.json({ ok: true, dropped: true }, 200);
  const raw = Buffer.from(await c.req.arrayBuffer());
  // The tenant's own mail server forwards here with the connection's token: it did the SPF/DKIM checks.
  const r = await ingestEmail(deps, conn, raw, { authenticated: true }).catch((err) => {
    throw asAppError(err);
  });
  return c.json({ ok: true, messageId: r.messageId, conversationId: r.conversationId, duplicate: r.duplicate }, r.duplicate ? 200 : 201);
});
