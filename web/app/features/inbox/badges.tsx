import type { Contact, Conversation } from '~/api.server';

export function contactLabel(contact: Contact): string {
  return contact.name || contact.email || contact.phone || 'Unknown contact';
}

const channelNames: Record<string, string> = {
  whatsapp: 'WhatsApp',
  sms: 'SMS',
  email: 'Email',
  instagram: 'Instagram',
  telegram: 'Telegram',
  widget: 'Web chat',
  chatwoot: 'Chatwoot',
  voice: 'Voice',
};

export const channelName = (channel: string) => channelNames[channel] ?? channel;

export function StatusBadge({ status }: { status: Conversation['status'] }) {
  return (
    <span className={`badge status-${status}`} data-testid="status-badge">
      {status}
    </span>
  );
}

/** Who answers the customer; with `assignee`, the human's name is shown too. */
export function OwnerBadge({ owner, assignee }: { owner: Conversation['owner']; assignee?: string | null }) {
  const label = owner === 'ai' ? 'AI' : assignee ? `Human · ${assignee}` : 'Human';
  return (
    <span
      className={`badge owner-${owner}`}
      data-testid="owner-badge"
      data-owner={owner}
      title={owner === 'ai' ? 'Handled by the AI agent' : `Handled by ${assignee ?? 'a human agent'}`}
    >
      {label}
    </span>
  );
}

export function ChannelBadge({ channel }: { channel: string }) {
  return (
    <span className={`badge channel channel-${channel}`} data-testid="channel-badge" data-channel={channel}>
      {channelName(channel)}
    </span>
  );
}
