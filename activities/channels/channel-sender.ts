import { ApplicationFailure } from '@temporalio/activity';

export interface OutboundMessage {
  tenantId: string;
  messageId: string;
  conversationId: string;
  contactId: string;
  channel: string;
  content: string;
}

/** A channel adapter. `idempotencyKey` is the outbound message id; pass it to providers that accept one. */
export interface ChannelSender {
  send(msg: OutboundMessage, idempotencyKey: string): Promise<{ providerMessageId: string }>;
}

export type ChannelSenders = Record<string, ChannelSender>;

/** The widget has no provider: the message is delivered when it is stored and published on the live stream. */
export const widgetSender: ChannelSender = {
  async send(msg) {
    return { providerMessageId: `widget:${msg.messageId}` };
  },
};

export function senderFor(channels: ChannelSenders, channel: string): ChannelSender {
  const sender = channels[channel];
  if (!sender) {
    throw ApplicationFailure.nonRetryable(`no sender is configured for channel '${channel}'`, 'ChannelNotConfigured');
  }
  return sender;
}

export const defaultChannelSenders = (): ChannelSenders => ({ widget: widgetSender });
