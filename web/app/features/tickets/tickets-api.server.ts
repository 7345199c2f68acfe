import { request } from '~/api.server';

export type TicketStatus = 'new' | 'open' | 'pending' | 'resolved' | 'closed';

export interface Ticket {
  id: string;
  subject: string;
  description: string;
  status: TicketStatus;
  priority: 'urgent' | 'high' | 'normal' | 'low';
  tags: string[];
  source: string;
  contactId: string | null;
  conversationId: string | null;
  assigneeId: string | null;
  sla: {
    firstResponseDueAt: string | null;
    firstRespondedAt: string | null;
    firstResponseBreachedAt: string | null;
    resolutionDueAt: string | null;
    resolvedAt: string | null;
    resolutionBreachedAt: string | null;
  };
  csat: { requestedAt: string | null; score: number | null; answeredAt: string | null };
  createdAt: string;
}

export interface TicketEvent {
  id: string;
  kind: string;
  from: string | null;
  to: string | null;
  actorUserId: string | null;
  /** `by: 'customer'` for a customer's reply reopening it, `auto` for an auto-close. */
  data: { by?: string; auto?: boolean } | null;
  at: string;
}

export interface Macro {
  id: string;
  name: string;
  reply: string | null;
}

const id = (value: string) => encodeURIComponent(value);

export const ticketsApi = {
  list: (token: string, filters: { status?: string; priority?: string }) => request<{ tickets: Ticket[] }>('/v1/tickets', { token, query: filters }),
  create: (token: string, body: { subject: string; priority: string; description?: string }) => request<{ ticket: Ticket }>('/v1/tickets', { method: 'POST', token, body }),
  get: (token: string, ticketId: string) => request<{ ticket: Ticket; events: TicketEvent[]; transitions: TicketStatus[] }>(`/v1/tickets/${id(ticketId)}`, { token }),
  move: (token: string, ticketId: string, status: string) => request<{ ticket: Ticket }>(`/v1/tickets/${id(ticketId)}/status`, { method: 'POST', token, body: { status } }),
  macros: (token: string) => request<{ macros: Macro[] }>('/v1/macros', { token }),
  applyMacro: (token: string, ticketId: string, macroId: string) => request<{ ticket: Ticket }>(`/v1/tickets/${id(ticketId)}/apply-macro`, { method: 'POST', token, body: { macroId } }),
};
