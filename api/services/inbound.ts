import { sql } from 'drizzle-orm';
import { KEYWORD_CHANNELS, consentKeyword } from '../../activities/channels/consent-keywords.js';
import { recordConsent } from './consent.js';
import type { ApiDeps } from '../context.js';

export interface InboundMessage {
  tenantId: string;
  contactId: string;
  channel: string;
  /** The provider's message id, or the widget's client message id: the deduplication key. */
  providerMessageId: string;
  content: string;
}

export interface IngestResult {
  messageId: string;
  conversationId: string;
  duplicate: boolean;
}

/**
 * Stores an inbound message in one round trip, then queues it for its conversation workflow. The
 * unique (tenant, channel, provider id) key makes a re-delivery a no-op, and the stored row is what
 * guarantees the signal (see SignalPump), so the provider is answered as soon as the row commits.
 */
export async function ingestInbound(deps: Pick<ApiDeps, 'db' | 'signals'>, m: InboundMessage): Promise<IngestResult> {
  // One statement, one round trip; the function itself drops to the tenant role (migration 0006).
  const [r] = await deps.db.execute<{ message_id: string; conversation_id: string; duplicate: boolean; signaled: boolean; opened: boolean }>(
    sql`select * from ingest_inbound_message_as_tenant(${m.tenantId}, ${m.contactId}, ${m.channel}, ${m.providerMessageId}, ${m.content})`,
  );
  if (!r.signaled) void deps.signals.enqueue({ tenantId: m.tenantId, conversationId: r.conversation_id, messageId: r.message_id, opening: r.opened });
  return { messageId: r.message_id, conversationId: r.conversation_id, duplicate: r.duplicate };
}

export interface ChannelInbound {
  tenantId: string;
  /** Null for the channel simulator without a connection of that kind. */
  connectionId: string | null;
  channel: 'whatsapp' | 'sms' | 'email' | 'instagram' | 'telegram' | 'chatwoot';
  /** How the sender is known across channels: a phone (WhatsApp and SMS share it), an email, or the channel's own user id. */
  identity: { kind: 'phone' | 'email' | 'email_unverified' | 'instagram' | 'telegram' | 'chatwoot'; address: string };
  name?: string | null;
  /** The provider's message id: the deduplication key. */
  providerMessageId: string;
  content: string;
  attachments?: Array<{ url?: string; contentType: string; filename?: string; size?: number }>;
  metadata?: Record<string, unknown>;
  /** Provider message ids this message answers (email In-Reply-To and References), newest last. */
  threadIds?: string[];
}

export interface ChannelIngestResult extends IngestResult {
  contactId: string;
}

/**
 * Stores a provider channel's inbound message in one round trip: the sender becomes one contact
 * however many deliveries race (the function locks on the address), the message joins its thread's
 * conversation, and a re-delivery is a no-op. Then it is queued for its workflow, as ingestInbound.
 */
export async function ingestChannelMessage(deps: Pick<ApiDeps, 'db' | 'signals'>, input: ChannelInbound): Promise<ChannelIngestResult> {
  const m = withoutNul(input);
  const threadIds = m.threadIds?.length ? sql`${`{${m.threadIds.map((t) => `"${t.replace(/["\\]/g, '')}"`).join(',')}}`}::text[]` : sql`null::text[]`;
  const [r] = await deps.db.execute<{ message_id: string; conversation_id: string; contact_id: string; duplicate: boolean; signaled: boolean; opened: boolean }>(
    sql`select * from ingest_channel_message_as_tenant(${m.tenantId}, ${m.connectionId}, ${m.channel}, ${m.identity.kind}, ${m.identity.address},
      ${m.name ?? null}, ${m.providerMessageId}, ${m.content}, ${m.attachments?.length ? JSON.stringify(m.attachments) : null}::jsonb,
      ${m.metadata ? JSON.stringify(m.metadata) : null}::jsonb, ${threadIds})`,
  );
  // STOP and START change consent as they arrive, whoever answers the conversation; a re-delivery
  // records nothing twice but repairs a record a crash left out.
  const keyword = KEYWORD_CHANNELS.has(m.channel) ? consentKeyword(m.content) : null;
  if (keyword) {
    await recordConsent(deps.db, m.tenantId, { contactId: r.contact_id, channel: m.channel, action: keyword.action, source: keyword.keyword, messageId: r.message_id });
  }
  if (!r.signaled) void deps.signals.enqueue({ tenantId: m.tenantId, conversationId: r.conversation_id, messageId: r.message_id, opening: r.opened });
  return { messageId: r.message_id, conversationId: r.conversation_id, contactId: r.contact_id, duplicate: r.duplicate };
}

/**
 * PostgreSQL text and jsonb refuse NUL characters, which a provider passes on as the sender wrote
 * them (an email's quoted-printable =00): dropped, so such a message is stored rather than lost to a 500.
 */
function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\u0000/g, '') as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)])) as T;
  }
  return value;
}
