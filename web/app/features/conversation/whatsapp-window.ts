import type { Conversation } from '~/api.server';

export const WINDOW_MS = 24 * 60 * 60 * 1000;

export interface WhatsappWindow {
  open: boolean;
  closesAt: string | null;
}

/**
 * WhatsApp's customer-service window: the API's answer when it gives one, else 24 hours from the
 * customer's last message. Null on other channels.
 */
export function whatsappWindow(
  conversation: Pick<Conversation, 'channel' | 'lastInboundAt' | 'whatsappWindow'>,
  now = Date.now(),
): WhatsappWindow | null {
  if (conversation.whatsappWindow) return conversation.whatsappWindow;
  if (conversation.channel !== 'whatsapp') return null;
  if (!conversation.lastInboundAt) return { open: false, closesAt: null };
  const closes = Date.parse(conversation.lastInboundAt) + WINDOW_MS;
  return { open: closes > now, closesAt: new Date(closes).toISOString() };
}
