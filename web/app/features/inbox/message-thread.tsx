import { useEffect, useRef } from 'react';
import type { AuthorRole, Message } from '~/api.server';
import { Time } from '~/shared/time';

const roleLabels: Record<AuthorRole, string> = {
  customer: 'Customer',
  ai: 'AI agent',
  agent: 'Agent',
  system: 'System',
};

export function MessageThread({ messages }: { messages: Message[] }) {
  const listRef = useRef<HTMLOListElement>(null);
  const lastId = messages.at(-1)?.id;

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [lastId]);

  if (messages.length === 0) {
    return (
      <p className="thread empty muted" data-testid="message-thread-empty">
        No messages yet.
      </p>
    );
  }
  return (
    <ol className="thread" ref={listRef} data-testid="message-thread">
      {messages.map((message) => (
        <li
          key={message.id}
          className={`message ${message.direction} role-${message.authorRole}`}
          data-testid="message"
          data-message-id={message.id}
          data-direction={message.direction}
          data-author-role={message.authorRole}
          data-delivery-status={message.deliveryStatus}
        >
          <div className="bubble">{message.content}</div>
          <div className="message-meta">
            <span data-testid="message-author">{roleLabels[message.authorRole] ?? message.authorRole}</span>
            <Time value={message.createdAt} />
            <span className="delivery" data-testid="message-delivery-status">
              {message.deliveryStatus}
            </span>
          </div>
        </li>
      ))}
    </ol>
  );
}
