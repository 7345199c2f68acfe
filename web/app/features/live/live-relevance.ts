import type { Lane } from './live-scheduler';

/** An event from `GET /v1/events` (api/live/live-hub.ts LiveEvent), as the browser receives it. */
export interface LiveEventData {
  id: number;
  kind: string;
  conversationId: string;
  contactId?: string;
  channel?: string;
  message?: { id: string; conversationId: string; [key: string]: unknown };
  conversation?: { id: string; status: string; owner: string; assigneeId: string | null; channel: string };
  note?: { id: string; conversationId: string; authorId: string | null; mentions: string[] };
}

/** What the page shows; `list` is null when the page is not the inbox. */
export interface ScreenContext {
  /** The conversation whose thread is on screen: the inbox's open one, or the simulator's. */
  openConversationId: string | null;
  list: {
    view: string;
    status: string;
    channel: string;
    assigneeId: string;
  } | null;
  viewerId: string | null;
  /** Whether the conversation has a row on screen (any loaded page). */
  onScreen(conversationId: string): boolean;
}

/**
 * How urgently an event needs the page's data reloaded. `now` when it changes something visible
 * (the open conversation, a row on screen) or could add a row to the list; `later` when it can
 * only change counts; null when it changes nothing this page shows.
 */
export function laneFor(event: LiveEventData, screen: ScreenContext): Lane | null {
  if (event.conversationId === screen.openConversationId) return 'now';
  // Private notes show only inside their conversation.
  if (event.note || event.kind.startsWith('note.')) return null;
  // Other pages (settings, the simulator) show no conversation but their open one: reloading
  // them on every event in the workspace would re-run their loaders back to back all day.
  if (!screen.list) return null;
  if (screen.onScreen(event.conversationId)) return 'now';
  return couldJoinList(event, screen.list, screen.viewerId) ? 'now' : 'later';
}

/** False only when the event itself proves the conversation is outside the list's filters. */
function couldJoinList(event: LiveEventData, list: NonNullable<ScreenContext['list']>, viewerId: string | null): boolean {
  const channel = event.conversation?.channel ?? event.channel;
  if (list.channel && channel && channel !== list.channel) return false;
  const state = event.conversation;
  if (!state) return true; // a message: its conversation's status and assignee are unknown here
  if (list.status && list.status !== 'all' && state.status !== list.status) return false;
  if (list.assigneeId && state.assigneeId !== list.assigneeId) return false;
  switch (list.view) {
    case 'mine':
      return viewerId !== null && state.assigneeId === viewerId;
    case 'unassigned':
      // As the API counts it: waiting for a person nobody has picked up yet.
      return state.assigneeId === null && state.owner === 'human';
    case 'ai':
      return state.owner === 'ai';
    default:
      return true;
  }
}
