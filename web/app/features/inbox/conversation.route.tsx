import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData, useRouteError, type ShouldRevalidateFunction } from '@remix-run/react';
import { useState } from 'react';
import { errorMessage } from '~/shared/error-message';
import { unwrap, withAuth } from '../auth/auth.server';
import { ContactSidebar } from '../conversation/contact-sidebar';
import { loadConversationView } from '../conversation/conversation-data.server';
import { ConversationHeader } from '../conversation/conversation-header';
import { runIntent } from '../conversation/conversation-commands.server';
import { parseIntent } from '../conversation/conversation-intents';
import { PendingToolCalls } from '../conversation/tool-calls';
import type { ActionResult } from '../conversation/use-conversation-action';
import { useShell } from '../shell/use-viewer';
import { contactLabel } from './badges';
import { useLiveThread } from '../live/live-thread';
import { MessageThread } from './message-thread';
import { ReplyForm } from './reply-form';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = params.conversationId ?? '';
  const authed = await withAuth(request, (token) => loadConversationView(token, id));
  return data(unwrap(authed), { headers: authed.headers });
}

/** Every control of the view posts here with an `intent`; see conversation-intents.ts. */
export async function action({ request, params }: ActionFunctionArgs) {
  const id = params.conversationId ?? '';
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const parsed = parseIntent(intent, form);
  if (typeof parsed === 'string') return data<ActionResult>({ intent, error: parsed }, { status: 400 });

  const { result, headers } = await withAuth(request, (token) => runIntent(token, id, parsed));
  if (result.ok) return data<ActionResult>({ intent, error: null }, { headers });
  return data<ActionResult>({ intent, error: result.error.message }, { status: result.error.status, headers });
}

/** The inbox's filters and search live in the query string: changing them leaves the open conversation as it is. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) => {
  if (!formMethod && currentUrl.pathname === nextUrl.pathname && currentUrl.search !== nextUrl.search) return false;
  return defaultShouldRevalidate;
};

const APPROVERS = new Set(['owner', 'admin', 'manager']);

export default function ConversationRoute() {
  const view = useLoaderData<typeof loader>();
  const { conversation, messages, notes, toolCalls, users, teams } = view;
  const { viewer } = useShell();
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const userNames = Object.fromEntries(users.map((u) => [u.id, u.name || u.email]));
  // The customer's words show from the live event itself, before the loaders have run again.
  const shown = useLiveThread(conversation.id, messages);
  return (
    // Keyed so per-conversation state (fetchers, reply draft) resets when switching.
    <div className="conversation-layout" key={conversation.id}>
      <section
        className="conversation"
        data-testid="conversation"
        data-conversation-id={conversation.id}
        data-status={conversation.status}
        data-owner={conversation.owner}
        aria-label={`Conversation with ${contactLabel(conversation.contact)}`}
      >
        <ConversationHeader
          conversation={conversation}
          users={users}
          teams={teams}
          viewerId={viewer.id}
          sidebarOpen={sidebarOpen}
          onToggleSidebar={() => setSidebarOpen((open) => !open)}
        />
        <PendingToolCalls toolCalls={toolCalls} canApprove={APPROVERS.has(viewer.role)} />
        <MessageThread messages={shown} notes={notes ?? []} channel={conversation.channel} userNames={userNames} customerName={conversation.contact.name ?? undefined} />
        {notes === null ? (
          <p className="muted small thread-note" role="status">
            Private notes could not be loaded.
          </p>
        ) : null}
        <ReplyForm conversation={conversation} users={users} />
      </section>
      <ContactSidebar
        conversation={conversation}
        messages={messages}
        contact={view.contact}
        pastConversations={view.pastConversations}
        open={sidebarOpen}
        onClose={() => setSidebarOpen(false)}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <div className="pane-empty" data-testid="conversation-error">
      <p className="form-error">{errorMessage(useRouteError())}</p>
    </div>
  );
}
