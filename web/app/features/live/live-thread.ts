import { useEffect, useMemo, useState } from 'react';
import type { Message } from '~/api.server';
import { useLiveEvents } from './live-events';

/**
 * The open conversation's messages with any inbound message the live stream has delivered but the
 * loaders have not yet returned. The `message` event carries the message itself, so the customer's
 * words show as soon as the event lands (tens of ms after the API's ack) instead of after the
 * revalidation that follows it. Only inbound messages take this path: replies show their author,
 * which only the loader knows. Usage: `const shown = useLiveThread(conversation.id, messages)`.
 */
export function useLiveThread(conversationId: string, messages: Message[]): Message[] {
  const [live, setLive] = useState<Message[]>([]);

  useLiveEvents((name, event) => {
    const message = event.message as Partial<Message> | undefined;
    if (name !== 'message' || event.conversationId !== conversationId || !message?.id) return;
    if (message.direction !== 'inbound' || typeof message.content !== 'string' || typeof message.createdAt !== 'string') return;
    const arrived = { ...(message as Message), channel: message.channel ?? event.channel };
    // Replays after a reconnect repeat events: keep each message once.
    setLive((current) => (current.some((m) => m.id === arrived.id) ? current : [...current, arrived]));
  });

  useEffect(() => setLive([]), [conversationId]);

  // Once the loader has a message, its copy (with triage and attachments) replaces the live one.
  useEffect(() => {
    const known = new Set(messages.map((m) => m.id));
    setLive((current) => (current.some((m) => known.has(m.id)) ? current.filter((m) => !known.has(m.id)) : current));
  }, [messages]);

  return useMemo(() => {
    const known = new Set(messages.map((m) => m.id));
    const extra = live.filter((m) => m.conversationId === conversationId && !known.has(m.id));
    if (extra.length === 0) return messages;
    return [...messages, ...extra].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  }, [messages, live, conversationId]);
}
