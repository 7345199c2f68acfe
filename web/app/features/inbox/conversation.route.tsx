import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData, useRouteError } from '@remix-run/react';
import { api } from '~/api.server';
import { errorMessage } from '~/shared/error-message';
import { Time } from '~/shared/time';
import { unwrap, withAuth } from '../auth/auth.server';
import { ChannelBadge, contactLabel, OwnerBadge, StatusBadge } from './badges';
import { ConversationActions } from './conversation-actions';
import { MessageThread } from './message-thread';
import { ReplyForm } from './reply-form';

const SNOOZE_MS = 60 * 60 * 1000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = params.conversationId ?? '';
  const authed = await withAuth(request, async (token) => {
    const [{ conversation }, { messages }] = await Promise.all([
      api.getConversation(token, id),
      api.listMessages(token, id),
    ]);
    return { conversation, messages };
  });
  return data(unwrap(authed), { headers: authed.headers });
}

type Command = (token: string, conversationId: string) => Promise<unknown>;

function commandFor(intent: string, content: string): Command | string {
  switch (intent) {
    case 'take-over':
      return api.takeOver;
    case 'hand-back':
      return api.handBack;
    case 'resolve':
      return (token, id) => api.close(token, id, 'resolved');
    case 'close':
      return (token, id) => api.close(token, id, 'closed');
    case 'snooze':
      return (token, id) => api.snooze(token, id, new Date(Date.now() + SNOOZE_MS));
    case 'unsnooze':
      return (token, id) => api.snooze(token, id, null);
    case 'reply':
      return content ? (token, id) => api.reply(token, id, content) : 'Write a reply first.';
    default:
      return `Unknown action "${intent}".`;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = params.conversationId ?? '';
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const command = commandFor(intent, String(form.get('content') ?? '').trim());
  if (typeof command === 'string') return data({ intent, error: command }, { status: 400 });

  const { result, headers } = await withAuth(request, (token) => command(token, id));
  if (result.ok) return data({ intent, error: null }, { headers });
  return data({ intent, error: result.error.message }, { status: result.error.status, headers });
}

export default function ConversationRoute() {
  const { conversation, messages } = useLoaderData<typeof loader>();
  const { contact } = conversation;
  return (
    // Keyed so per-conversation state (fetchers, reply draft) resets when switching.
    <section
      key={conversation.id}
      className="conversation"
      data-testid="conversation"
      data-conversation-id={conversation.id}
      data-status={conversation.status}
      data-owner={conversation.owner}
    >
      <header className="conversation-header">
        <div className="conversation-title">
          <h2 data-testid="conversation-contact">{contactLabel(contact)}</h2>
          <div className="muted">{[contact.email, contact.phone].filter(Boolean).join(' · ')}</div>
          <div className="badges">
            <ChannelBadge channel={conversation.channel} />
            <StatusBadge status={conversation.status} />
            <OwnerBadge owner={conversation.owner} />
            {conversation.status === 'snoozed' && conversation.snoozedUntil ? (
              <span className="muted small">
                until <Time value={conversation.snoozedUntil} withDate />
              </span>
            ) : null}
          </div>
        </div>
        <ConversationActions conversation={conversation} />
      </header>
      <MessageThread messages={messages} />
      <ReplyForm />
    </section>
  );
}

export function ErrorBoundary() {
  return (
    <div className="pane-empty" data-testid="conversation-error">
      <p className="form-error">{errorMessage(useRouteError())}</p>
    </div>
  );
}
