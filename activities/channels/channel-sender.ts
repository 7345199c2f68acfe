import { ApplicationFailure } from '@temporalio/activity';

export interface OutboundMessage {
  tenantId: string;
  messageId: string;
  conversationId: string;
  contactId: string;
  /** For templates' greetings; null when the contact has not given one. */
  contactName?: string | null;
  channel: string;
  content: string;
  /** The customer's address on the channel (conversations.address); null for the widget. */
  to: string | null;
  purpose: 'service' | 'marketing';
  /** The customer's last message on this conversation: WhatsApp's 24-hour window counts from it. */
  lastInboundAt: Date | null;
  /** This message's channel details (an email's subject, …). */
  metadata: Record<string, unknown> | null;
  /** The metadata of the customer's latest message in the conversation: an email reply threads under its Message-ID. */
  thread: Record<string, unknown> | null;
}

/** A tenant's provider account, its secrets unsealed for this send only. */
export interface ResolvedConnection {
  id: string;
  tenantId: string;
  kind: string;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
}

export interface SendContext {
  connection: ResolvedConnection;
  /** The outbound message id; pass it to providers that accept an idempotency key. */
  idempotencyKey: string;
  /** The API's public URL, for status callbacks that providers post back. */
  publicUrl: string;
}

export interface SendResult {
  providerMessageId: string;
  /** Stored on the message: what was actually sent when it differs (a template instead of free text, the email's Message-ID). */
  metadata?: Record<string, unknown>;
}

/**
 * A provider channel's outbound side. Throw ApplicationFailure.nonRetryable for a send that can
 * never succeed (a rejected number, a closed WhatsApp window): the message is marked failed with
 * that reason, never sent. Anything else is retried.
 */
export interface ChannelSender {
  send(msg: OutboundMessage, ctx: SendContext): Promise<SendResult>;
  /**
   * Checks the credentials with a harmless provider call (the connect form's "Test" button). Where
   * the provider is told its webhook by API (Telegram), it registers `webhookUrl` too.
   */
  test?(connection: ResolvedConnection, ctx?: { webhookUrl: string }): Promise<{ ok: boolean; message: string }>;
}

/**
 * Where the providers' APIs are. Unset in production (each SDK's own default); tests and the
 * offline demo point them at local servers that speak the same protocol.
 */
export interface ProviderUrls {
  twilio?: string;
  ses?: string;
  graph?: string;
  telegram?: string;
}

/** Senders by connection kind. */
export type ChannelSenders = Record<string, ChannelSender>;

/**
 * No provider to call: the widget (its messages are delivered when stored and published on the live
 * stream), and every channel with no credentials (the offline default, and the channel simulator).
 */
export const sandboxSender = {
  async send(msg: Pick<OutboundMessage, 'channel' | 'messageId'>): Promise<SendResult> {
    return { providerMessageId: `${msg.channel === 'widget' ? 'widget' : 'sandbox'}:${msg.messageId}` };
  },
};

export function senderFor(channels: ChannelSenders, kind: string): ChannelSender {
  const sender = channels[kind];
  if (!sender) throw ApplicationFailure.nonRetryable(`no sender is configured for channel '${kind}'`, 'ChannelNotConfigured');
  return sender;
}
