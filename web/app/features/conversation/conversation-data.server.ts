import { api, ApiError } from '~/api.server';
import { conversationApi } from './conversation-api.server';

/**
 * A side panel's data must not take the whole conversation down: any failure but a 401 (which
 * `withAuth` needs to see to refresh the token) becomes null and the panel says it is unavailable.
 */
function optional<T>(promise: Promise<T>): Promise<T | null> {
  return promise.catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 401) throw error;
    return null;
  });
}

/** Everything the conversation view shows, fetched in parallel. */
export async function loadConversationView(token: string, id: string) {
  const [{ conversation }, { messages }, notes, toolCalls, users, teams] = await Promise.all([
    api.getConversation(token, id),
    api.listMessages(token, id),
    optional(conversationApi.listNotes(token, id)),
    optional(conversationApi.listToolCalls(token, id)),
    optional(conversationApi.listUsers(token)),
    optional(conversationApi.listTeams(token)),
  ]);
  const contactId = conversation.contact.id;
  const [contact, history] = await Promise.all([
    optional(conversationApi.getContact(token, contactId)),
    optional(conversationApi.contactConversations(token, contactId)),
  ]);
  return {
    conversation,
    messages,
    notes: notes?.notes ?? null,
    toolCalls: toolCalls?.toolCalls ?? [],
    users: users?.users ?? [],
    teams: teams?.teams ?? [],
    contact,
    pastConversations: history ? history.conversations.filter((c) => c.id !== id) : null,
  };
}

export type ConversationViewData = Awaited<ReturnType<typeof loadConversationView>>;
