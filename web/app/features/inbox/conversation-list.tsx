import { Link, NavLink, useLocation } from '@remix-run/react';
import type { Conversation } from '~/api.server';
import { Time } from '~/shared/time';
import { ChannelBadge, contactLabel, OwnerBadge, StatusBadge } from './badges';
import { statusTabs, type StatusTab } from './status-filter';

export function StatusTabs({ active }: { active: StatusTab }) {
  const { pathname } = useLocation();
  return (
    <nav className="status-tabs" aria-label="Filter by status">
      {statusTabs.map((tab) => (
        <Link
          key={tab}
          to={{ pathname, search: `?status=${tab}` }}
          className={tab === active ? 'tab active' : 'tab'}
          aria-current={tab === active ? 'page' : undefined}
          data-testid={`status-tab-${tab}`}
        >
          {tab}
        </Link>
      ))}
    </nav>
  );
}

export function ConversationList({ conversations }: { conversations: Conversation[] }) {
  const { search } = useLocation();
  if (conversations.length === 0) {
    return (
      <p className="empty muted" data-testid="conversation-list-empty">
        No conversations here.
      </p>
    );
  }
  return (
    <ul className="conversation-list" data-testid="conversation-list">
      {conversations.map((conversation) => (
        <li key={conversation.id}>
          <NavLink
            to={{ pathname: `/inbox/${conversation.id}`, search }}
            className={({ isActive }) => (isActive ? 'conversation-row active' : 'conversation-row')}
            data-testid="conversation-row"
            data-conversation-id={conversation.id}
            data-status={conversation.status}
            data-owner={conversation.owner}
          >
            <div className="row-head">
              <span className="contact-name">{contactLabel(conversation.contact)}</span>
              <Time value={conversation.lastMessageAt ?? conversation.createdAt} />
            </div>
            {conversation.contact.email && conversation.contact.name ? (
              <div className="contact-email muted">{conversation.contact.email}</div>
            ) : null}
            <div className="preview" data-testid="conversation-preview">
              {conversation.lastMessage
                ? `${conversation.lastMessage.direction === 'outbound' ? 'Reply: ' : ''}${conversation.lastMessage.content}`
                : 'No messages yet'}
            </div>
            <div className="badges">
              <ChannelBadge channel={conversation.channel} />
              <StatusBadge status={conversation.status} />
              <OwnerBadge owner={conversation.owner} />
            </div>
          </NavLink>
        </li>
      ))}
    </ul>
  );
}
