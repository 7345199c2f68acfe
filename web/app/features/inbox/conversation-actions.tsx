import { useFetcher } from '@remix-run/react';
import type { Conversation } from '~/api.server';
import type { action } from './conversation.route';

interface ActionButton {
  intent: string;
  label: string;
  primary?: boolean;
}

function buttonsFor(conversation: Conversation): ActionButton[] {
  const done = conversation.status === 'resolved' || conversation.status === 'closed';
  return [
    conversation.owner === 'ai'
      ? { intent: 'take-over', label: 'Take over', primary: true }
      : { intent: 'hand-back', label: 'Hand back to AI' },
    conversation.status === 'snoozed'
      ? { intent: 'unsnooze', label: 'Unsnooze' }
      : { intent: 'snooze', label: 'Snooze 1 hour' },
    ...(done ? [] : [{ intent: 'resolve', label: 'Resolve' }]),
    { intent: 'close', label: 'Close' },
  ];
}

/** Conversation commands; the API decides what is allowed and its refusal is shown as is. */
export function ConversationActions({ conversation }: { conversation: Conversation }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== 'idle';
  const pendingIntent = busy ? fetcher.formData?.get('intent') : null;
  const error = fetcher.state === 'idle' ? fetcher.data?.error : null;

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
            disabled={busy}
            data-testid={`action-${button.intent}`}
          >
            {pendingIntent === button.intent ? '…' : button.label}
          </button>
        ))}
      </fetcher.Form>
      {error ? (
        <p className="form-error" role="alert" data-testid="action-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
