import { Link } from '@remix-run/react';
import { Time } from '~/shared/time';
import type { Mention } from './mentions-api.server';
import { isNewer } from './mentions-seen';

const EXCERPT_CHARS = 140;

const excerpt = (content: string) => {
  const flat = content.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
};

/** The dropdown's rows: who mentioned the viewer, on which contact's conversation, and when. */
export function MentionsList({ mentions, seenBefore, error, onPick }: { mentions: Mention[]; seenBefore: string | null; error: string | null; onPick: () => void }) {
  if (error) {
    return (
      <p className="form-error mentions-empty" role="alert">
        {error}
      </p>
    );
  }
  if (mentions.length === 0) return <p className="muted mentions-empty">No one has mentioned you yet.</p>;
  return (
    <ul className="mentions-list" data-testid="mentions-list">
      {mentions.map((m) => {
        const unread = isNewer(m.createdAt, seenBefore);
        const author = m.author?.name || 'A teammate';
        const contact = m.contact.name || 'an unnamed contact';
        return (
          <li key={m.id}>
            <Link
              to={`/inbox/${m.conversationId}`}
              className={unread ? 'mention-item unread' : 'mention-item'}
              data-testid="mention-item"
              data-conversation-id={m.conversationId}
              data-unread={unread}
              aria-label={`${author} mentioned you on ${contact}${unread ? ' (new)' : ''}`}
              onClick={onPick}
            >
              <span className="mention-head">
                <strong>{author}</strong>
                <span className="muted">on {contact}</span>
                <span className="muted small mention-time">
                  <Time value={m.createdAt} />
                </span>
              </span>
              <span className="mention-excerpt">{excerpt(m.content)}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
