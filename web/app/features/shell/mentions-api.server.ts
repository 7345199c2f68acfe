import { request } from '~/api.server';

/** A private note that @mentions the signed-in user, as `GET /v1/me/mentions` returns it. */
export interface Mention {
  id: string;
  conversationId: string;
  content: string;
  author: { id: string; name: string } | null;
  mentions: Array<{ id: string; name: string }>;
  createdAt: string;
  contact: { id: string; name: string | null };
}

export const mentionsApi = {
  /** Newest first; with `since`, only notes created after it. */
  list: (token: string, query: { since?: string; limit?: number } = {}) =>
    request<{ mentions: Mention[] }>('/v1/me/mentions', { token, query: { since: query.since, limit: query.limit } }),
};
