import { Context, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { withTenant, type Tx } from '../../db/client.js';
import { contactIdentities, contacts, conversations, messages, outbox } from '../../db/schema/index.js';
import type { DeliveryResult } from '../../temporal/contracts.js';
import { sandboxSender, senderFor, type OutboundMessage } from '../channels/channel-sender.js';
import { ConnectionUnavailable, resolveConnection } from '../channels/connections.js';
import type { ActivityDeps } from '../deps.js';

export function createDeliveryActivities({ db, channels, credentialsKey, publicUrl, sendLeaseSeconds = 30 }: Pick<ActivityDeps, 'db' | 'channels' | 'credentialsKey' | 'publicUrl' | 'sendLeaseSeconds'>) {
  return {
    /**
     * Sends one outbound message once. The outbox row, keyed by the message id, is claimed with a
     * lease first; a row already `sent` returns its stored provider id without calling the provider
     * again. The one window left, a crash after the provider accepted but before `sent` is stored,
     * is closed by passing the message id as the provider's idempotency key where it has one.
     */
    async deliverMessage(input: { tenantId: string; messageId: string; whileAiOwns?: boolean }): Promise<DeliveryResult> {
      const claim = await withTenant(db, input.tenantId, (tx) => claimSend(tx, input, { credentialsKey, sendLeaseSeconds }), { reusePlans: true });
      if ('sent' in claim) return { status: 'sent', providerMessageId: claim.sent ?? null };
      if ('discarded' in claim) return { status: 'discarded', providerMessageId: null };
      if ('held' in claim) return { status: 'held', providerMessageId: null };
      if ('refused' in claim || 'unavailable' in claim) {
        await markFailed(input.tenantId, input.messageId, claim.refused ?? claim.unavailable ?? 'refused');
        return { status: 'failed', providerMessageId: null };
      }
      if ('done' in claim) {
        const done = claim.done!;
        if (done.status === 'sending') {
          // Another attempt holds the lease and may be mid-send: retry after it, never beside it.
          throw ApplicationFailure.retryable('another attempt is sending this message', 'SendInProgress');
        }
        return { status: done.status === 'sent' ? 'sent' : 'failed', providerMessageId: done.providerMessageId };
      }

      const { msg, connection, thread } = claim;
      // Beat through the provider call (up to its 15 s timeout): the activities that send have short
      // heartbeat timeouts. A local activity (the fast path) has no heartbeat to send.
      const beat = Context.current().info.isLocal ? undefined : setInterval(() => heartbeat(), 1000);
      beat?.unref();
      let providerMessageId: string;
      let sentMetadata: Record<string, unknown> | undefined;
      try {
        // An earlier attempt's send reached the provider, which said so in a status callback before
        // that attempt could record it (a crash in between): sending again would duplicate it.
        if (msg.providerMessageId) throw new AlreadyAccepted(msg.providerMessageId);
        // No credentials (the offline default, the channel simulator): the sandbox records it as sent.
        const outbound = outboundOf(input.tenantId, msg, thread);
        ({ providerMessageId, metadata: sentMetadata } = connection
          ? await senderFor(channels, connection.kind).send(outbound, { connection, idempotencyKey: msg.id, publicUrl })
          : await sandboxSender.send(outbound));
      } catch (err) {
        if (err instanceof AlreadyAccepted) {
          providerMessageId = err.providerMessageId;
        } else if (err instanceof ApplicationFailure && err.nonRetryable) {
          await markFailed(input.tenantId, msg.id, err.message);
          return { status: 'failed', providerMessageId: null };
        } else {
          // Release the lease so the retry can send at once.
          await withTenant(db, input.tenantId, (tx) =>
            tx.update(outbox).set({ lastError: String((err as Error).message ?? err), lockedUntil: null }).where(eq(outbox.messageId, msg.id)),
          );
          throw err;
        }
      } finally {
        clearInterval(beat);
      }

      await withTenant(db, input.tenantId, (tx) => recordSent(tx, msg, providerMessageId, sentMetadata), { reusePlans: true });
      return { status: 'sent', providerMessageId };
    },

    /** A reply that must not go out any more (an agent took over first). */
    async discardMessage(input: { tenantId: string; messageId: string }): Promise<void> {
      await withTenant(db, input.tenantId, (tx) =>
        tx
          .update(messages)
          .set({ deliveryStatus: 'discarded' })
          .where(and(eq(messages.id, input.messageId), eq(messages.deliveryStatus, 'queued'))),
      );
    },
  };

  async function markFailed(tenantId: string, messageId: string, error: string) {
    await withTenant(db, tenantId, async (tx) => {
      await tx.update(outbox).set({ status: 'failed', lastError: error }).where(eq(outbox.messageId, messageId));
      await tx.update(messages).set({ deliveryStatus: 'failed', error }).where(eq(messages.id, messageId));
    });
  }
}

interface SendInput {
  tenantId: string;
  messageId: string;
  whileAiOwns?: boolean;
}

/**
 * Claims a message's send in `tx`: the outbox row with a lease, or what stands in the way. A
 * message that needs no provider is sent within the claim.
 */
async function claimSend(tx: Tx, input: SendInput, { credentialsKey, sendLeaseSeconds }: { credentialsKey: Buffer; sendLeaseSeconds: number }) {
  const read = tx
    .select({
      id: messages.id,
      conversationId: messages.conversationId,
      channel: messages.channel,
      content: messages.content,
      direction: messages.direction,
      deliveryStatus: messages.deliveryStatus,
      purpose: messages.purpose,
      metadata: messages.metadata,
      providerMessageId: messages.providerMessageId,
      contactId: conversations.contactId,
      owner: conversations.owner,
      status: conversations.status,
      connectionId: conversations.connectionId,
      to: conversations.address,
      lastInboundAt: conversations.lastInboundAt,
      optOuts: contacts.marketingOptOuts,
      contactName: contacts.name,
    })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(messages.id, input.messageId));
  // Sent from outside the workflow's lock: the row lock makes a takeover's write wait for this
  // claim, so a takeover either lands first (the reply is held) or after the reply is committed to go.
  // Not a share lock: two attempts holding one could each wait for the other, as a widget
  // message's claim goes on to write the conversation row.
  const [msg] = await (input.whileAiOwns ? read.for('no key update', { of: conversations }) : read);
  if (!msg) throw ApplicationFailure.nonRetryable(`message ${input.messageId} not found`, 'NotFound');
  if (msg.direction !== 'outbound') throw ApplicationFailure.nonRetryable('only outbound messages are delivered', 'InvalidMessage');
  if (msg.deliveryStatus === 'discarded') return { discarded: true as const };
  if (input.whileAiOwns && msg.deliveryStatus === 'queued' && (msg.owner !== 'ai' || msg.status !== 'open')) return { held: true as const };
  const refusal = msg.deliveryStatus === 'queued' ? await refusalFor(tx, msg) : null;
  if (refusal) return { refused: refusal };
  // The lease outlives any provider call (their clients time out sooner), so at most one attempt sends.
  const lease = sql`now() + make_interval(secs => ${sendLeaseSeconds})`;
  const [row] = await tx
    .insert(outbox)
    .values({ messageId: msg.id, tenantId: input.tenantId, channel: msg.channel, attempts: 1, lockedUntil: lease })
    .onConflictDoUpdate({
      target: outbox.messageId,
      set: { attempts: sql`${outbox.attempts} + 1`, lockedUntil: lease },
      setWhere: and(eq(outbox.status, 'sending'), or(isNull(outbox.lockedUntil), lt(outbox.lockedUntil, sql`now()`))),
    })
    .returning({ messageId: outbox.messageId });
  if (!row) {
    const [done] = await tx.select().from(outbox).where(eq(outbox.messageId, msg.id));
    return { done };
  }
  // The widget and the sandbox call no provider: committing the claim is the send, so it is
  // recorded as sent in the same transaction, and a retry finds the outbox row `sent`.
  if (!msg.connectionId) {
    const { providerMessageId } = await sandboxSender.send(outboundOf(input.tenantId, msg, null));
    await recordSent(tx, msg, providerMessageId);
    return { sent: providerMessageId };
  }
  try {
    const [connection, [latest]] = await Promise.all([
      resolveConnection(tx, credentialsKey, msg.connectionId),
      // The customer's latest message on the conversation: email replies thread under it.
      tx
        .select({ metadata: messages.metadata })
        .from(messages)
        .where(and(eq(messages.conversationId, msg.conversationId), eq(messages.direction, 'inbound')))
        .orderBy(desc(messages.createdAt))
        .limit(1),
    ]);
    return { msg, connection, thread: latest?.metadata ?? null };
  } catch (err) {
    if (err instanceof ConnectionUnavailable) return { unavailable: err.message };
    throw err;
  }
}

type Claimed = { id: string; conversationId: string; metadata: Record<string, unknown> | null };

/** The provider accepted the message: the outbox row, the message and its conversation say so. */
function recordSent(tx: Tx, msg: Claimed, providerMessageId: string, sentMetadata?: Record<string, unknown>) {
  // Issued together: postgres.js pipelines them on the transaction's connection, one round trip.
  return Promise.all([
    // The clock, not the transaction's start: a widget message is sent by the transaction that claims it.
    tx.update(outbox).set({ status: 'sent', providerMessageId, sentAt: sql`clock_timestamp()`, lockedUntil: null }).where(eq(outbox.messageId, msg.id)),
    ...markSent(tx, msg, providerMessageId, sentMetadata),
  ]);
}

/** The message and its conversation, once the message has gone out. */
function markSent(tx: Tx, msg: Claimed, providerMessageId: string, sentMetadata?: Record<string, unknown>) {
  return [
    // Status callbacks may have moved the message past `sent` already; never move it back.
    tx
      .update(messages)
      .set({
        deliveryStatus: sql`case when ${messages.deliveryStatus} = 'queued' then 'sent'::delivery_status else ${messages.deliveryStatus} end`,
        providerMessageId,
        ...(sentMetadata && { metadata: { ...msg.metadata, ...sentMetadata } }),
      })
      .where(eq(messages.id, msg.id)),
    tx.update(conversations).set({ lastMessageAt: sql`now()`, updatedAt: sql`now()` }).where(eq(conversations.id, msg.conversationId)),
  ];
}

function outboundOf(
  tenantId: string,
  msg: Claimed & Omit<OutboundMessage, 'tenantId' | 'messageId' | 'thread' | 'metadata'>,
  thread: Record<string, unknown> | null,
): OutboundMessage {
  const { id, conversationId, contactId, contactName, channel, content, to, purpose, lastInboundAt, metadata } = msg;
  return { tenantId, messageId: id, conversationId, contactId, contactName, channel, content, to, purpose, lastInboundAt, metadata, thread };
}

/**
 * The widget's side of an AI reply sent in the transaction that writes it, for answerInbound: the
 * conversation row is locked first, as deliverMessage's claim locks it, so a takeover lands either
 * before (the reply is held) or after the reply has gone out. Only the widget: other channels have
 * a provider to call, or a refusal to check (an email address that bounced), so deliverMessage
 * sends them after the commit.
 */
export async function widgetReplySend(tx: Tx, conversationId: string) {
  const [conv] = await tx
    .select({ channel: conversations.channel, owner: conversations.owner, status: conversations.status, connectionId: conversations.connectionId })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .for('no key update');
  /** The reply, once written in the same transaction: null when deliverMessage must send it. */
  return async (reply: { tenantId: string; id: string }): Promise<DeliveryResult | null> => {
    if (!conv || conv.channel !== 'widget' || conv.connectionId) return null;
    if (conv.owner !== 'ai' || conv.status !== 'open') return { status: 'held', providerMessageId: null };
    const { providerMessageId } = await sandboxSender.send({ channel: 'widget', messageId: reply.id });
    // Written this transaction, the reply has no outbox row yet: it gets one already sent.
    await Promise.all([
      tx.insert(outbox).values({ messageId: reply.id, tenantId: reply.tenantId, channel: 'widget', status: 'sent', providerMessageId, attempts: 1, sentAt: sql`clock_timestamp()` }),
      ...markSent(tx, { id: reply.id, conversationId, metadata: null }, providerMessageId),
    ]);
    return { status: 'sent', providerMessageId };
  };
}

/** Why a message must not be sent at all, whatever the provider would say: null when it may go. */
async function refusalFor(
  tx: Tx,
  msg: { channel: string; purpose: 'service' | 'marketing'; optOuts: string[]; contactId: string; to: string | null },
): Promise<string | null> {
  if (msg.purpose === 'marketing' && msg.optOuts.includes(msg.channel)) return `the contact opted out of marketing on ${msg.channel}`;
  if (msg.channel === 'email' && msg.to) {
    const [identity] = await tx
      .select({ status: contactIdentities.status })
      .from(contactIdentities)
      .where(and(eq(contactIdentities.contactId, msg.contactId), eq(contactIdentities.channel, 'email'), eq(contactIdentities.externalId, msg.to)));
    if (identity && identity.status !== 'ok') return `the address ${msg.to} ${identity.status === 'bounced' ? 'bounced' : 'complained'}; it is not mailed again`;
  }
  return null;
}

class AlreadyAccepted extends Error {
  constructor(readonly providerMessageId: string) {
    super('the provider already accepted this message');
  }
}
