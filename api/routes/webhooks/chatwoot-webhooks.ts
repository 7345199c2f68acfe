import { and, desc, eq, sql } from 'drizzle-orm';
import { chatwootContactKey, chatwootMessageKey } from '../../../activities/channels/chatwoot/chatwoot-keys.js';
import { classifyChatwootEvent, type MessageCreated } from '../../../activities/channels/chatwoot/chatwoot-events.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyChatwootWebhook } from '../../../activities/channels/chatwoot/chatwoot-signature.js';
import { withTenant, type Database } from '../../../db/client.js';
import { conversations, messages } from '../../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { newRouter } from '../../router.js';
import { ingestChannelMessage } from '../../services/inbound.js';
import { webhookConnection } from '../../services/webhook-connections.js';

const KINDS = ['chatwoot'] as const;

/**
 * A Chatwoot account's webhook (`message_created`, `conversation_status_changed`), at
 * /webhooks/chatwoot/<connection id>. Chatwoot signs deliveries with the webhook's secret
 * (X-Chatwoot-Signature over the timestamp and body); installations too old to sign put the same
 * secret in the URL as `?token=`. Customers' messages enter our conversation; a Chatwoot agent's
 * reply and status changes are only noted on the customer's latest message, for people and the
 * sender to see; the takeover itself is checked live at send time (chatwoot-sender.ts).
 */
export const chatwootWebhooks = newRouter();

chatwootWebhooks.post('/:connectionId', async (c) => {
  const deps = c.get('deps');
  const conn = await webhookConnection(deps.db, deps.config.CREDENTIALS_MASTER_KEY, c.req.param('connectionId'), KINDS);
  const rawBody = await c.req.text();
  const verdict = verifyChatwootWebhook({
    rawBody,
    signature: c.req.header(SIGNATURE_HEADER),
    timestamp: c.req.header(TIMESTAMP_HEADER),
    token: c.req.query('token'),
    acceptToken: conn.config.acceptUrlToken === true,
    secret: conn.secrets.webhookSecret ?? '',
    nowSeconds: Math.floor(Date.now() / 1000),
  });
  if (!verdict.ok) {
    const unsigned = c.req.header(SIGNATURE_HEADER) === undefined && c.req.query('token') === undefined;
    throw new AppError(unsigned ? 'unauthorized' : 'forbidden', `rejected: ${verdict.reason}`, [{ field: 'X-Chatwoot-Signature', message: verdict.reason }]);
  }
  // Acknowledged so Chatwoot stops retrying; a disconnected channel takes nothing in.
  if (conn.disconnected) return c.json({ ok: true, ignored: 'the connection is disconnected' }, 200);

  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new AppError('validation_failed', 'the body is not valid JSON', [{ field: 'body', message: 'must be JSON' }]);
  }
  const parsed = classifyChatwootEvent(json);
  if (!parsed.ok) throw new AppError('validation_failed', `invalid Chatwoot payload: ${parsed.fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, parsed.fields);
  const event = parsed.event;
  if (event.kind === 'ignored') return c.json({ ok: true, ignored: event.reason }, 200);

  const accountId = event.kind === 'status_changed' ? undefined : event.message.account.id;
  if (accountId !== undefined && accountId !== String(conn.config.accountId)) {
    // Replies go to the configured account; a message from another account could never be answered.
    return c.json({ ok: true, ignored: `account ${accountId} is not the connected account` }, 200);
  }

  if (event.kind === 'status_changed') {
    const a = event.conversation.meta?.assignee;
    await noteOnLatest(deps.db, conn.tenantId, conn.id, event.conversation.id, {
      chatwootStatus: event.conversation.status,
      chatwootAssignee: a ? { id: a.id, name: a.name ?? null } : null,
    });
    return c.json({ ok: true }, 200);
  }

  if (event.kind === 'agent_message') {
    const m = event.message;
    // Our own replies come back as outgoing messages too (sent with a user's token, they carry that user as sender).
    if (await isOurs(deps.db, conn.tenantId, chatwootMessageKey(conn.config, m.id))) return c.json({ ok: true, ignored: 'our own reply' }, 200);
    await noteOnLatest(deps.db, conn.tenantId, conn.id, m.conversation.id, {
      chatwootAgentReply: { messageId: m.id, agentId: m.sender?.id ?? null, agentName: m.sender?.name ?? null, at: new Date().toISOString() },
      ...(m.conversation.status && { chatwootStatus: m.conversation.status }),
    });
    return c.json({ ok: true }, 200);
  }

  const m = event.message;
  const content = m.content?.trim() ?? '';
  const r = await ingestChannelMessage(deps, {
    tenantId: conn.tenantId,
    connectionId: conn.id,
    channel: 'chatwoot',
    identity: { kind: 'chatwoot', address: chatwootContactKey(conn.config, m.sender!.id) },
    name: m.sender?.name ?? null,
    providerMessageId: chatwootMessageKey(conn.config, m.id),
    content,
    attachments: attachmentsOf(m),
    metadata: {
      chatwootConversationId: m.conversation.id,
      chatwootInboxId: m.inbox?.id ?? m.conversation.inbox_id ?? null,
      chatwootStatus: m.conversation.status ?? null,
      chatwootContactId: m.sender!.id,
    },
  });
  return c.json({ ok: true, duplicate: r.duplicate }, 200);
});

function attachmentsOf(m: MessageCreated) {
  return (m.attachments ?? [])
    .filter((a) => a.data_url)
    .map((a) => ({ url: a.data_url, contentType: a.file_type === 'image' || a.file_type === 'audio' || a.file_type === 'video' ? `${a.file_type}/*` : 'application/octet-stream', ...(a.file_size !== undefined && { size: a.file_size }) }));
}

async function isOurs(db: Database, tenantId: string, providerMessageId: string): Promise<boolean> {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx.select({ id: messages.id }).from(messages).where(and(eq(messages.channel, 'chatwoot'), eq(messages.direction, 'outbound'), eq(messages.providerMessageId, providerMessageId))),
  );
  return !!row;
}

/**
 * Merges facts from Chatwoot into the metadata of the customer's latest message in that Chatwoot
 * conversation on this connection; without one (a conversation the customer never wrote in while
 * connected) there is nothing to note them on.
 */
async function noteOnLatest(db: Database, tenantId: string, connectionId: string, chatwootConversationId: string, patch: Record<string, unknown>): Promise<void> {
  await withTenant(db, tenantId, async (tx) => {
    const [latest] = await tx
      .select({ id: messages.id })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(eq(conversations.connectionId, connectionId), eq(messages.direction, 'inbound'), sql`${messages.metadata}->>'chatwootConversationId' = ${chatwootConversationId}`))
      .orderBy(desc(messages.createdAt))
      .limit(1);
    if (latest) await tx.update(messages).set({ metadata: sql`coalesce(${messages.metadata}, '{}'::jsonb) || ${JSON.stringify(patch)}::jsonb` }).where(eq(messages.id, latest.id));
  });
}
