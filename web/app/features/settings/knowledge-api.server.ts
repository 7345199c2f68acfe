import { request } from '~/api.server';

/** Knowledge-base documents (`api/routes/knowledge/document-routes.ts`). */
export interface KbDocument {
  id: string;
  title: string;
  format: 'markdown' | 'text' | 'html';
  chunkCount: number;
  /** indexing: a new generation is being built; the previous one, if any, is still searched. */
  status: 'indexing' | 'ready' | 'failed';
  chunksTotal: number;
  chunksDone: number;
  error: string | null;
  embeddingModel: string;
  createdAt: string;
  updatedAt: string;
}

export const knowledgeApi = {
  list: (token: string) => request<{ documents: KbDocument[] }>('/v1/knowledge/documents', { token }),
  /** A multipart upload (`file`, optional `title`) or pasted text; both answer the new document. */
  upload: (token: string, form: FormData) => request<KbDocument>('/v1/knowledge/documents', { method: 'POST', token, body: form }),
  create: (token: string, body: { title: string; format: string; content: string }) =>
    request<KbDocument>('/v1/knowledge/documents', { method: 'POST', token, body }),
  reindex: (token: string, id: string) =>
    request<KbDocument>(`/v1/knowledge/documents/${encodeURIComponent(id)}/reindex`, { method: 'POST', token }),
  remove: (token: string, id: string) => request<void>(`/v1/knowledge/documents/${encodeURIComponent(id)}`, { method: 'DELETE', token }),
};
