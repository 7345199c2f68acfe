import { request } from '~/api.server';

export interface Stage {
  id: string;
  name: string;
  kind: 'open' | 'won' | 'lost';
  position: number;
}

export interface Pipeline {
  id: string;
  name: string;
  position: number;
  stages: Stage[];
}

export interface Lead {
  id: string;
  pipelineId: string;
  stageId: string;
  contact: { id: string; name: string | null };
  ownerId: string | null;
  title: string;
  value: string | null;
  currency: string;
  score: number | null;
  tags: string[];
  position: number;
  expectedCloseDate: string | null;
}

export interface BoardColumn extends Stage {
  count: number;
  total: string;
  leads: Lead[];
}

const id = (value: string) => encodeURIComponent(value);

/** The CRM API, as the pipeline board's loader and actions call it. */
export const crmApi = {
  pipelines: (token: string) => request<{ pipelines: Pipeline[] }>('/v1/pipelines', { token }),
  createPipeline: (token: string, body: { name: string; stages: Array<{ name: string; kind?: Stage['kind'] }> }) =>
    request<{ pipeline: Pipeline }>('/v1/pipelines', { method: 'POST', token, body }),
  board: (token: string, pipelineId: string, filters: { ownerId?: string; tag?: string }) =>
    request<{ pipeline: Pipeline; stages: BoardColumn[] }>(`/v1/pipelines/${id(pipelineId)}/board`, { token, query: filters }),
  move: (token: string, leadId: string, stageId: string, position: number) => request<{ lead: Lead }>(`/v1/leads/${id(leadId)}/move`, { method: 'POST', token, body: { stageId, position } }),
};
