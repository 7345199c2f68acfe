import { NavLink } from '@remix-run/react';
import { memo } from 'react';
import type { Conversation } from '~/api.server';
import { Time } from '~/shared/time';
import { ChannelBadge, contactLabel, OwnerBadge, StatusBadge } from './badges';
import { initials } from './inbox-query';

const MAX_LABELS = 2;
const URGENT = new Set(['high', 'urgent']);

/**
 * No read receipts exist yet, so "unread" means what an agent acts on: the customer spoke last
 * in a conversation that is still open.
 */
export const awaitsReply = (c: Pick<Conversation, 'status' | 'lastMessage'>) =>
  c.lastMessage?.direction === 'inbound' && (c.status === 'open' || c.status === 'pending');

/** One conversation in the list. Memoised: a live revalidation re-renders only changed rows. */
export const ConversationRow = memo(function ConversationRow({ conversation, search }: { conversation: Conversation; search: string }) {
  const { contact, lastMessage, labels = [], assignee, team, priority } = conversation;
  const name = contactLabel(contact);
  const waiting = awaitsReply(conversation);
  const urgent = priority ? URGENT.has(priority) : false;
  return (
    <NavLink
      to={{ pathname: `/inbox/${conversation.id}`, search }}
      prefetch="intent"
      className={({ isActive }) => ['conversation-row', isActive && 'active', waiting && 'awaiting'].filter(Boolean).join(' ')}
      data-testid="conversation-row"
      data-conversation-id={conversation.id}
      data-status={conversation.status}
      data-owner={conversation.owner}
      data-channel={conversation.channel}
      data-assignee-id={conversation.assigneeId ?? ''}
    >
      <div className="row-head">
        {waiting ? (
          <span className="unread-dot" title="Awaiting a reply" data-testid="awaiting-reply">
            <span className="visually-hidden">Awaiting a reply: </span>
          </span>
        ) : null}
        <span className="contact-name">{name}</span>
        {urgent ? (
          <span className={`priority priority-${priority}`} title={`${priority} priority`} data-testid="priority-marker">
            <span aria-hidden="true">{priority === 'urgent' ? '!!' : '!'}</span>
            <span className="visually-hidden">{priority} priority</span>
          </span>
        ) : null}
        <span className="spacer" />
        <Time value={conversation.lastMessageAt ?? conversation.createdAt} />
      </div>
      <div className="preview" data-testid="conversation-preview">
        {lastMessage ? (
          <>
            {lastMessage.direction === 'outbound' ? (
              // The list does not say who replied (AI or agent), only that the workspace spoke last.
              <span className="preview-prefix" title="Last message was a reply">
                ↩{' '}
              </span>
            ) : null}
            {lastMessage.content}
          </>
        ) : (
          'No messages yet'
        )}
      </div>
      <div className="row-meta">
        <ChannelBadge channel={conversation.channel} />
        <OwnerBadge owner={conversation.owner} />
        {conversation.status !== 'open' ? <StatusBadge status={conversation.status} /> : null}
        {labels.slice(0, MAX_LABELS).map((label) => (
          <span key={label} className="row-label" data-testid="row-label">
            {label}
          </span>
        ))}
        {labels.length > MAX_LABELS ? (
          <span className="row-label more" title={labels.slice(MAX_LABELS).join(', ')}>
            +{labels.length - MAX_LABELS}
          </span>
        ) : null}
        <span className="spacer" />
        {team ? <span className="team-name muted small">{team.name}</span> : null}
        {assignee ? (
          <span className="avatar" title={`Assigned to ${assignee.name}`} aria-label={`Assigned to ${assignee.name}`} data-testid="row-assignee">
            {initials(assignee.name)}
          </span>
        ) : conversation.assigneeId ? (
          <span className="avatar" title="Assigned" data-testid="row-assignee">
            ?
          </span>
        ) : null}
      </div>
    </NavLink>
  );
}, sameRow);

// Loader data is parsed afresh on every revalidation, so compare content, not identity.
function sameRow(a: { conversation: Conversation; search: string }, b: { conversation: Conversation; search: string }) {
  return a.search === b.search && (a.conversation === b.conversation || JSON.stringify(a.conversation) === JSON.stringify(b.conversation));
}
