import type { Conversation } from '~/api.server';
import { Time } from '~/shared/time';
import { ChannelBadge, contactLabel, OwnerBadge, StatusBadge } from '../inbox/badges';
import { ConversationActions } from '../inbox/conversation-actions';
import { AssignMenu } from './assign-menu';
import type { Team, WorkspaceUser } from './conversation-api.server';
import { LabelEditor } from './label-editor';
import { SnoozeMenu } from './snooze-menu';
import { TemporalLink } from './temporal-link';

interface HeaderProps {
  conversation: Conversation;
  users: WorkspaceUser[];
  teams: Team[];
  viewerId: string;
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
}

export function ConversationHeader({ conversation, users, teams, viewerId, sidebarOpen, onToggleSidebar }: HeaderProps) {
  const { contact } = conversation;
  const assignee = conversation.assignee?.name ?? users.find((u) => u.id === conversation.assigneeId)?.name ?? null;
  const teamId = conversation.teamId ?? conversation.team?.id ?? null;
  const team = conversation.team?.name ?? teams.find((t) => t.id === teamId)?.name ?? null;
  const done = conversation.status === 'resolved' || conversation.status === 'closed';
  return (
    <header className="conversation-header">
      <div className="header-top">
        <div className="conversation-title">
          <h2 data-testid="conversation-contact">{contactLabel(contact)}</h2>
          <div className="muted small">{[contact.email, contact.phone].filter(Boolean).join(' · ')}</div>
          <div className="badges">
            <OwnerBadge owner={conversation.owner} assignee={conversation.owner === 'human' ? assignee : null} />
            <ChannelBadge channel={conversation.channel} />
            <StatusBadge status={conversation.status} />
            {conversation.status === 'snoozed' ? (
              <span className="muted small" data-testid="snoozed-until">
                {conversation.snoozedUntil ? (
                  <>
                    until <Time value={conversation.snoozedUntil} withDate />
                  </>
                ) : (
                  'until the customer replies'
                )}
              </span>
            ) : null}
            {team ? (
              <span className="badge team" data-testid="team-badge">
                Team · {team}
              </span>
            ) : null}
            {conversation.priority ? <span className={`badge priority-${conversation.priority}`}>{conversation.priority}</span> : null}
          </div>
        </div>
        <div className="header-links">
          <TemporalLink conversationId={conversation.id} />
          <button
            type="button"
            className="button ghost sidebar-toggle"
            aria-expanded={sidebarOpen}
            aria-controls="contact-sidebar"
            onClick={onToggleSidebar}
            data-testid="contact-sidebar-toggle"
          >
            {sidebarOpen ? 'Hide contact' : 'Contact'}
          </button>
        </div>
      </div>
      <div className="header-controls">
        <ConversationActions conversation={conversation} />
        {done ? null : <SnoozeMenu snoozed={conversation.status === 'snoozed'} />}
        <AssignMenu assigneeId={conversation.assigneeId} teamId={teamId} users={users} teams={teams} viewerId={viewerId} />
      </div>
      <LabelEditor labels={conversation.labels ?? []} />
    </header>
  );
}
