import type { Contact, Conversation } from '~/api.server';

export function contactLabel(contact: Contact): string {
  return contact.name || contact.email || contact.phone || 'Unknown contact';
}

export function StatusBadge({ status }: { status: Conversation['status'] }) {
  return (
    <span className={`badge status-${status}`} data-testid="status-badge">
      {status}
    </span>
  );
}

export function OwnerBadge({ owner }: { owner: Conversation['owner'] }) {
  return (
    <span className={`badge owner-${owner}`} data-testid="owner-badge" title={owner === 'ai' ? 'Handled by the AI agent' : 'Handled by a human agent'}>
      {owner === 'ai' ? 'AI' : 'Human'}
    </span>
  );
}

export function ChannelBadge({ channel }: { channel: string }) {
  return (
    <span className="badge channel" data-testid="channel-badge">
      {channel}
    </span>
  );
}
