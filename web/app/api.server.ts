import { env } from '~/env.server';

export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved' | 'closed';
export type Owner = 'ai' | 'human';
export type Direction = 'inbound' | 'outbound';
export type AuthorRole = 'customer' | 'ai' | 'agent' | 'system';

export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  tenantId: string;
}

export interface Tenant {
  id: string;
  name: string;
  widgetKey: string;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface LoginResult extends Tokens {
  user: User;
  tenant: Tenant;
}

export interface Contact {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

export interface Conversation {
  id: string;
  channel: string;
  status: ConversationStatus;
  owner: Owner;
  assigneeId: string | null;
  snoozedUntil: string | null;
  lastMessageAt: string | null;
  lastInboundAt: string | null;
  createdAt: string;
  contact: Contact;
  lastMessage: { content: string; direction: Direction; createdAt: string } | null;
  teamId?: string | null;
  team?: { id: string; name: string } | null;
  labels?: string[];
  /** Set by an escalation: how urgently the team should pick it up (free text, e.g. 'high'). */
  priority?: string | null;
  assignee?: { id: string; name: string } | null;
  /** Detail only (GET /v1/conversations/:id): the latest inbound message's detected attributes. */
  triage?: Triage | null;
  /** Detail only: WhatsApp's 24-hour customer-service window; null on other channels. */
  whatsappWindow?: { open: boolean; closesAt: string | null } | null;
}

/** What the AI detected on the latest inbound message it triaged. */
export interface Triage {
  messageId: string;
  detectedAt: string;
  intent: string | null;
  sentiment: string | null;
  urgency: string | null;
  priority: string | null;
  language: string | null;
  confidence: number | null;
  /** The tenant's own attributes the AI detected. */
  custom: Record<string, unknown>;
}

export type InboxView = 'all' | 'mine' | 'unassigned' | 'ai';

export interface ConversationListParams {
  view?: InboxView;
  status?: ConversationStatus;
  channel?: string;
  label?: string;
  assigneeId?: string;
  teamId?: string;
  /** Case-insensitive substring over contact name/email/phone and message text. */
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface ConversationList {
  conversations: Conversation[];
  nextCursor: string | null;
  counts?: { mine: number; unassigned: number; all: number; ai: number };
}

export interface Message {
  id: string;
  conversationId: string;
  direction: Direction;
  authorRole: AuthorRole;
  content: string;
  deliveryStatus: string;
  createdAt: string;
  channel?: string;
  /** The agent who wrote it; null for customer, AI and system messages. */
  author?: { id: string; name: string } | null;
  /** Inbound: the triage (intent, sentiment, urgency, language, …); outbound AI: whatever was stored. */
  attributes?: Record<string, unknown> | null;
  citations?: Array<{ documentId: string; title: string; chunkId: string }> | null;
  attachments?: Array<{ url?: string; contentType: string; filename?: string; size?: number }> | null;
  error?: string | null;
  purpose?: 'service' | 'marketing';
  /** Inbound: who it went to (an automation, the AI, the humans). */
  routing?: { to: 'automation' | 'ai' | 'human'; runIds?: string[]; resumedRunIds?: string[] } | null;
  /** Outbound: the automation step that sent it. */
  automation?: { runId: string; nodeId: string } | null;
}

/** Any non-2xx answer from the API (or the API being unreachable: status 503). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly fields?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ApiErrorBody {
  code: string;
  message: string;
  requestId: string;
  fields: Record<string, unknown>;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  token?: string;
  body?: unknown;
  query?: Record<string, string | number | undefined>;
}

export async function request<T>(path: string, { method = 'GET', token, body, query }: RequestOptions = {}): Promise<T> {
  const url = new URL(env.API_URL + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(503, 'api_unreachable', 'The Switchboard API is unreachable. Please try again.');
  }

  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (payload as { error?: Partial<ApiErrorBody> } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `API request failed (${response.status} ${response.statusText})`,
      error?.requestId,
      error?.fields,
    );
  }
  return payload as T;
}

export const api = {
  login: (email: string, password: string) =>
    request<LoginResult>('/v1/auth/login', { method: 'POST', body: { email, password } }),
  refresh: (refreshToken: string) =>
    request<Tokens>('/v1/auth/refresh', { method: 'POST', body: { refreshToken } }),
  logout: (refreshToken: string) =>
    request<void>('/v1/auth/logout', { method: 'POST', body: { refreshToken } }),
  me: (token: string) => request<{ user: User; tenant: Tenant }>('/v1/me', { token }),

  listConversations: (token: string, params: ConversationListParams = {}) =>
    request<ConversationList>('/v1/conversations', {
      token,
      query: {
        view: params.view,
        status: params.status,
        channel: params.channel,
        label: params.label,
        assigneeId: params.assigneeId,
        teamId: params.teamId,
        q: params.q || undefined,
        limit: params.limit ?? 50,
        cursor: params.cursor,
      },
    }),
  getConversation: (token: string, id: string) =>
    request<{ conversation: Conversation }>(`/v1/conversations/${encodeURIComponent(id)}`, { token }),
  listMessages: (token: string, id: string) =>
    request<{ messages: Message[] }>(`/v1/conversations/${encodeURIComponent(id)}/messages`, { token }),

  takeOver: (token: string, id: string) => command(token, id, 'take-over', {}),
  handBack: (token: string, id: string) => command(token, id, 'hand-back', {}),
  close: (token: string, id: string, status?: 'resolved' | 'closed') =>
    command(token, id, 'close', status ? { status } : {}),
  snooze: (token: string, id: string, until: Date | null) =>
    command(token, id, 'snooze', { until: until ? until.toISOString() : null }),
  assign: (token: string, id: string, assigneeId: string | null) =>
    command(token, id, 'assign', { assigneeId }),
  reply: (token: string, id: string, content: string) =>
    request<{ message: Message }>(`/v1/conversations/${encodeURIComponent(id)}/replies`, {
      method: 'POST',
      token,
      body: { content },
    }),
};

export type SimulatedChannel = 'whatsapp' | 'sms' | 'email' | 'instagram' | 'telegram';

export interface SimulatedMessage {
  channel: SimulatedChannel;
  from: string;
  name?: string;
  subject?: string;
  text: string;
}

/** The channel simulator: an inbound message "as" a customer, answered through the sandbox transport. */
export const simulatorApi = {
  send: (token: string, message: SimulatedMessage) =>
    request<{ messageId: string; conversationId: string; contactId: string; duplicate: boolean }>('/v1/channels/simulator/messages', {
      method: 'POST',
      token,
      body: message,
    }),
};

function command(token: string, id: string, name: string, body: Record<string, unknown>) {
  return request<{ conversation: Conversation }>(`/v1/conversations/${encodeURIComponent(id)}/${name}`, {
    method: 'POST',
    token,
    body,
  });
}
