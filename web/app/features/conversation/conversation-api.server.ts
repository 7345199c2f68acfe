import { request, type Contact, type Conversation, type User } from '~/api.server';

/** A private note between agents; never sent to the customer. */
export interface Note {
  id: string;
  conversationId: string;
  content: string;
  /** The users @mentioned in the note (a removed user drops out). */
  mentions: Array<{ id: string; name: string }>;
  author: { id: string; name: string } | null;
  createdAt: string;
}

export type ToolCallStatus = 'pending' | 'awaiting_approval' | 'succeeded' | 'failed' | 'rejected' | 'expired' | 'blocked';

/** What the AI asked one of its tools to do, as `GET /v1/conversations/{id}/tool-calls` lists it. */
export interface ToolCall {
  id: string;
  messageId: string;
  name: string;
  arguments: Record<string, unknown>;
  status: ToolCallStatus;
  needsApproval: boolean;
  reason: string | null;
  createdAt: string;
}

/** A member of the workspace as lists show one. */
export type WorkspaceUser = Pick<User, 'id' | 'name' | 'email' | 'role'>;

export interface Team {
  id: string;
  name: string;
}

export interface CannedResponse {
  id: string;
  shortcut: string;
  content: string;
}

export interface ContactDetail extends Contact {
  tags?: string[];
  /** The labels on the contact's conversations, most used first. */
  labels?: string[];
  attributes?: Record<string, unknown>;
  identities: Array<{ kind: string; address: string; status: string; statusDetail?: string | null }>;
  marketingOptOuts?: string[];
}

export type ContactConversation = Pick<Conversation, 'id' | 'channel' | 'status' | 'owner' | 'createdAt' | 'lastMessageAt' | 'lastMessage'> & {
  labels?: string[];
};

const conv = (id: string) => `/v1/conversations/${encodeURIComponent(id)}`;
type State = { conversation: unknown };

/** The endpoints the conversation view needs beyond the shared `api` client. */
export const conversationApi = {
  listNotes: (token: string, id: string) => request<{ notes: Note[] }>(`${conv(id)}/notes`, { token }),
  addNote: (token: string, id: string, content: string, mentions: string[]) =>
    request<{ note: Note }>(`${conv(id)}/notes`, { method: 'POST', token, body: { content, mentions } }),

  listToolCalls: (token: string, id: string) => request<{ toolCalls: ToolCall[] }>(`${conv(id)}/tool-calls`, { token }),
  decideToolCall: (token: string, id: string, callId: string, verdict: 'approve' | 'reject') =>
    request<State>(`${conv(id)}/tool-calls/${encodeURIComponent(callId)}/${verdict}`, { method: 'POST', token }),

  /** Either or both; null clears that side. */
  assign: (token: string, id: string, target: { assigneeId?: string | null; teamId?: string | null }) =>
    request<State>(`${conv(id)}/assign`, { method: 'POST', token, body: target }),
  /** `until: null` snoozes until the customer replies. */
  snooze: (token: string, id: string, until: string | null) =>
    request<State>(`${conv(id)}/snooze`, { method: 'POST', token, body: { until } }),
  /** Wakes a snoozed conversation, or opens a resolved or closed one again. */
  reopen: (token: string, id: string) => request<State>(`${conv(id)}/reopen`, { method: 'POST', token }),
  /** Replaces the whole list; the API trims, lower-cases and deduplicates. */
  setLabels: (token: string, id: string, labels: string[]) =>
    request<{ conversation: Conversation }>(`${conv(id)}/labels`, { method: 'PUT', token, body: { labels } }),

  listUsers: (token: string) => request<{ users: WorkspaceUser[] }>('/v1/users', { token }),
  listTeams: (token: string) => request<{ teams: Team[] }>('/v1/teams', { token }),
  searchCanned: (token: string, q: string) =>
    request<{ cannedResponses: CannedResponse[] }>('/v1/canned-responses', { token, query: { q: q || undefined } }),

  getContact: (token: string, id: string) => request<ContactDetail>(`/v1/contacts/${encodeURIComponent(id)}`, { token }),
  contactConversations: (token: string, id: string) =>
    request<{ conversations: ContactConversation[] }>(`/v1/contacts/${encodeURIComponent(id)}/conversations`, { token }),
};
