import { ApiError, request } from '~/api.server';
import { env } from '~/env.server';

export interface ContactImport {
  id: string;
  status: 'uploaded' | 'running' | 'done' | 'failed';
  columns: string[];
  rowsTotal: number;
  rowsDone: number;
  created: number;
  updated: number;
  failed: number;
}

export interface Preview {
  rows: number;
  wouldCreate: number;
  wouldUpdate: number;
  errors: Array<{ row: number; message: string }>;
}

export interface ContactRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
}

/** The list's filters, as the URL and a saved view carry them. */
export const LIST_FILTERS = ['q', 'tag', 'attribute'] as const;
export type ListFilters = Partial<Record<(typeof LIST_FILTERS)[number], string>>;
export const filtersOf = (params: URLSearchParams): ListFilters => Object.fromEntries(LIST_FILTERS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));

export interface ListView {
  id: string;
  name: string;
  filters: ListFilters;
}

export interface Contact extends ContactRow {
  attributes: Record<string, unknown>;
  labels: string[];
  identities: Array<{ kind: string; address: string; status: string }>;
}

export interface TimelineEntry {
  id: string;
  kind: 'message' | 'note' | 'ticket_created' | 'ticket_status' | 'stage_change';
  at: string;
  conversationId: string | null;
  channel: string | null;
  authorRole: string | null;
  text: string | null;
  ticketId: string | null;
  leadId: string | null;
  from: string | null;
  to: string | null;
  detected: Record<string, unknown> | null;
}

const id = (value: string) => encodeURIComponent(value);

/** A call that sends or returns something other than JSON (the CSV file, the error report). */
async function raw(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(env.API_URL + path, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; fields?: Array<{ field: string; message: string }> } } | null;
    throw new ApiError(res.status, body?.error?.code ?? 'http_error', body?.error?.message ?? `API request failed (${res.status})`, undefined, body?.error?.fields as unknown as Record<string, unknown> | undefined);
  }
  return res;
}

export const contactsApi = {
  list: (token: string, filters: ListFilters) => request<{ contacts: ContactRow[] }>('/v1/contacts', { token, query: { ...filters, limit: 100 } }),
  views: (token: string) => request<{ views: ListView[] }>('/v1/contact-views', { token }),
  saveView: (token: string, name: string, filters: ListFilters) => request<{ view: ListView }>('/v1/contact-views', { method: 'POST', token, body: { name, filters } }),
  deleteView: (token: string, viewId: string) => request<void>(`/v1/contact-views/${id(viewId)}`, { method: 'DELETE', token }),
  upload: async (token: string, csv: string) => (await (await raw('/v1/contacts/imports', token, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv })).json()) as { import: ContactImport; sample: string[][] },
  get: (token: string, importId: string) => request<{ import: ContactImport }>(`/v1/contacts/imports/${id(importId)}`, { token }),
  preview: (token: string, importId: string, mapping: Record<string, string>) => request<Preview>(`/v1/contacts/imports/${id(importId)}/preview`, { method: 'POST', token, body: { mapping } }),
  start: (token: string, importId: string, mapping: Record<string, string>) => request<{ import: ContactImport }>(`/v1/contacts/imports/${id(importId)}/start`, { method: 'POST', token, body: { mapping } }),
  contact: (token: string, contactId: string) => request<Contact>(`/v1/contacts/${id(contactId)}`, { token }),
  update: (token: string, contactId: string, body: { name?: string | null; email?: string | null; phone?: string | null; tags?: string[] }) =>
    request<{ contact: ContactRow }>(`/v1/contacts/${id(contactId)}`, { method: 'PATCH', token, body }),
  timeline: (token: string, contactId: string, cursor?: string) =>
    request<{ entries: TimelineEntry[]; nextCursor: string | null }>(`/v1/contacts/${id(contactId)}/timeline`, { token, query: { cursor, limit: 50 } }),
  addNote: (token: string, contactId: string, content: string) => request<{ note: { id: string } }>(`/v1/contacts/${id(contactId)}/notes`, { method: 'POST', token, body: { content } }),
  exportCsv: async (token: string, search: string) => raw(`/v1/contacts/export.csv${search}`, token),
  errorsCsv: async (token: string, importId: string) => (await raw(`/v1/contacts/imports/${id(importId)}/errors.csv`, token)).text(),
};
