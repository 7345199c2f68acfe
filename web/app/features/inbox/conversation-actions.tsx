import type { Conversation } from '~/api.server';
import { ActionError, useConversationAction } from '../conversation/use-conversation-action';

interface ActionButton {
  intent: string;
  label: string;
  title: string;
  primary?: boolean;
}

function buttonsFor(conversation: Conversation): ActionButton[] {
  const done = conversation.status === 'resolved' || conversation.status === 'closed';
  const owner: ActionButton =
    conversation.owner === 'ai'
      ? { intent: 'take-over', label: 'Take over', title: 'Silence the AI and answer yourself', primary: true }
      : { intent: 'hand-back', label: 'Hand back to AI', title: 'Let the AI answer again' };
  if (done) return [{ intent: 'reopen', label: 'Reopen', title: 'Open the conversation again' }, owner];
  return [
    owner,
    { intent: 'resolve', label: 'Resolve', title: 'The question is answered' },
    { intent: 'close', label: 'Close', title: 'Close without resolving' },
  ];
}

/** Ownership and closing; the API decides what is allowed and its refusal is shown as is. */
export function ConversationActions({ conversation }: { conversation: Conversation }) {
  const { fetcher, busy, pendingIntent, error } = useConversationAction();
  const done = conversation.status === 'resolved' || conversation.status === 'closed';
  return (
    <div className="conversation-actions">
      <fetcher.Form method="post" className="button-row">
        {buttonsFor(conversation).map((button) => (
          <button
            key={button.intent}
            type="submit"
            name="intent"
            value={button.intent}
            className={button.primary ? 'button primary' : 'button'}
            title={button.title}
            disabled={busy}
            data-testid={button.intent}
            data-action={button.intent}
          >
            {pendingIntent === button.intent ? '…' : button.label}
          </button>
        ))}
      </fetcher.Form>
      {done ? (
        <p className="muted small" data-testid="reopen-hint">
          {conversation.status === 'resolved' ? 'Resolved' : 'Closed'}: reopen it, or a reply (yours or the customer’s) will.
        </p>
      ) : null}
      <ActionError error={error} />
    </div>
  );
}
