/**
 * When the AI may answer a Chatwoot conversation. Chatwoot's own convention for bots: a conversation
 * an agent bot handles is `pending`, and a hand-off to people makes it `open`. Assignees are always
 * Chatwoot users (people), so an assignee means a person has taken the conversation.
 *
 *   `unassigned` (default): the AI answers a `pending` or `open` conversation nobody is assigned to.
 *   `pending`: the AI answers only `pending` conversations (for inboxes run with Chatwoot's bot hand-off).
 *
 * Either way, a `resolved` or `snoozed` conversation at send time means a person acted after the
 * customer wrote (a new customer message reopens it in Chatwoot), so the AI stays silent.
 */
export type AiReplyRule = 'unassigned' | 'pending';

export interface ChatwootConversationState {
  status: string;
  assignee: { id: number | string; name?: string | null } | null;
}

export const HUMAN_HANDLES = 'a Chatwoot agent is handling this conversation';

/** Null when the AI may reply; otherwise why it must not. */
export function humanHandles(state: ChatwootConversationState, rule: AiReplyRule): string | null {
  if (rule === 'pending') return state.status === 'pending' ? null : `${HUMAN_HANDLES} (status ${state.status})`;
  if (state.status !== 'pending' && state.status !== 'open') return `${HUMAN_HANDLES} (status ${state.status})`;
  if (state.assignee) return `${HUMAN_HANDLES} (assigned to ${state.assignee.name ?? `agent ${state.assignee.id}`})`;
  return null;
}
