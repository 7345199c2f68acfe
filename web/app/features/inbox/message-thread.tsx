import { useRouteLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import type { AuthorRole, Message } from '~/api.server';
import { Time } from '~/shared/time';
import type { Note } from '../conversation/conversation-api.server';
import { DeliveryStatus } from '../conversation/delivery-status';
import { MentionText } from '../conversation/mention-text';
import { Attachments, Citations } from '../conversation/message-parts';
import { mayReadAutomations } from '../automations/automation-permissions';
import type { loader as shellLoader } from '../shell/app-shell.route';
import { ChannelBadge } from './badges';

const roleLabels: Record<AuthorRole, string> = {
  customer: 'Customer',
  ai: 'AI agent',
  agent: 'Agent',
  system: 'System',
};

interface ThreadProps {
  messages: Message[];
  /** Private notes, interleaved with the messages by time; the simulator shows none. */
  notes?: Note[];
  /** Used when a message does not name its own channel. */
  channel?: string;
  /** Who is who, to highlight the @mentions in notes. */
  userNames?: Record<string, string>;
  customerName?: string;
}

type Item = { kind: 'message'; at: string; message: Message } | { kind: 'note'; at: string; note: Note };

function timeline(messages: Message[], notes: Note[]): Item[] {
  const items: Item[] = [
    ...messages.map((message) => ({ kind: 'message' as const, at: message.createdAt, message })),
    ...notes.map((note) => ({ kind: 'note' as const, at: note.createdAt, note })),
  ];
  // Stable: messages keep the API's order among themselves when timestamps tie.
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export function MessageThread({ messages, notes = [], channel, userNames = {}, customerName }: ThreadProps) {
  const listRef = useRef<HTMLOListElement>(null);
  const items = timeline(messages, notes);
  const last = items.at(-1);
  const lastKey = last ? `${last.kind}:${last.kind === 'message' ? last.message.id : last.note.id}` : '';

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [lastKey]);

  if (items.length === 0) {
    return (
      <p className="thread empty muted" data-testid="message-thread-empty">
        No messages yet.
      </p>
    );
  }
  return (
    <ol className="thread" ref={listRef} data-testid="message-thread" aria-label="Conversation history">
      {items.map((item) =>
        item.kind === 'note' ? (
          <NoteItem key={`n-${item.note.id}`} note={item.note} userNames={userNames} />
        ) : (
          <MessageItem key={item.message.id} message={item.message} channel={channel} customerName={customerName} />
        ),
      )}
    </ol>
  );
}

function authorName(message: Message, customerName?: string): string {
  if (message.automation) return 'Automation';
  if (message.authorRole === 'agent') return message.author?.name || roleLabels.agent;
  if (message.authorRole === 'customer') return customerName || roleLabels.customer;
  return roleLabels[message.authorRole] ?? message.authorRole;
}

function MessageItem({ message, channel, customerName }: { message: Message; channel?: string; customerName?: string }) {
  const failed = message.deliveryStatus === 'failed';
  const msgChannel = message.channel ?? channel;
  return (
    <li
      className={`message ${message.direction} role-${message.authorRole}${failed ? ' failed' : ''}`}
      data-testid="message"
      data-message-id={message.id}
      data-role={message.authorRole}
      data-status={message.deliveryStatus}
      data-direction={message.direction}
      data-author-role={message.authorRole}
      data-delivery-status={message.deliveryStatus}
    >
      <div className="message-meta">
        {message.authorRole === 'ai' ? (
          <span className="badge ai-mark" title="Written by the AI agent" data-testid="ai-mark">
            AI
          </span>
        ) : null}
        <span data-testid="message-author">{authorName(message, customerName)}</span>
        {msgChannel ? <ChannelBadge channel={msgChannel} /> : null}
        {message.automation ? <RunLink runId={message.automation.runId} label={`step ${message.automation.nodeId}`} /> : null}
        {message.routing?.to === 'automation' ? <RoutedToAutomation routing={message.routing} /> : null}
      </div>
      <div className="bubble">{message.content}</div>
      {message.attachments?.length ? <Attachments items={message.attachments} /> : null}
      {message.authorRole === 'ai' && message.citations?.length ? <Citations items={message.citations} /> : null}
      {failed ? (
        <p className="message-error" role="note" data-testid="message-error">
          Not delivered{message.error ? `: ${message.error}` : '.'}
        </p>
      ) : null}
      <div className="message-meta">
        <Time value={message.createdAt} />
        {message.purpose === 'marketing' ? <span className="badge">marketing</span> : null}
        {message.direction === 'outbound' ? <DeliveryStatus status={message.deliveryStatus} error={message.error} /> : null}
      </div>
    </li>
  );
}

function NoteItem({ note, userNames }: { note: Note; userNames: Record<string, string> }) {
  // The API names the mentioned users; the workspace list covers a note from an older API.
  const names = note.mentions.map((m) => (typeof m === 'string' ? userNames[m] : m.name)).filter((n): n is string => !!n);
  return (
    <li className="note" data-testid="note" data-note-id={note.id} aria-label="Private note">
      <div className="message-meta">
        <span className="note-tag">Private note</span>
        <span data-testid="note-author">{note.author?.name ?? 'Agent'}</span>
        <Time value={note.createdAt} />
      </div>
      <div className="note-body">
        <MentionText content={note.content} names={names} />
      </div>
    </li>
  );
}

/** A link to an automation run's record on its graph, for those who may open it; a plain mark for the others. */
function RunLink({ runId, label }: { runId: string; label: string }) {
  const role = useRouteLoaderData<typeof shellLoader>('shell')?.viewer.role;
  if (role && !mayReadAutomations(role)) return <span className="badge automation-mark">{label}</span>;
  return (
    <a className="badge automation-mark" href={`/automations/runs/${runId}`} title="Open the automation run" data-testid="automation-run-link">
      {label}
    </a>
  );
}

/** The customer's message went to an automation (first in the inbound order), not to the AI. */
function RoutedToAutomation({ routing }: { routing: NonNullable<Message['routing']> }) {
  const runs = [...(routing.resumedRunIds ?? []), ...(routing.runIds ?? [])];
  return (
    <span className="muted routed" data-testid="routed-to-automation">
      → automation{' '}
      {runs.map((id, i) => (
        <RunLink key={id} runId={id} label={runs.length > 1 ? `run ${i + 1}` : 'run'} />
      ))}
    </span>
  );
}

