import { request } from '~/api.server';

export interface Report {
  window: { from: string; to: string; interval: 'day' | 'week'; timeZone: string };
  conversationsByChannel: Array<{ bucket: string; channel: string; count: number }>;
  aiResolution: { conversations: number; resolved: number; resolvedByAi: number; share: number | null };
  firstResponse: { medianSeconds: number | null; humanMedianSeconds: number | null; answered: number };
  tickets: { firstResponseMedianSeconds: number | null; resolutionMedianSeconds: number | null; resolved: number };
  csat: { asked: number; answers: number; average: number | null; satisfiedShare: number | null };
  slaBreaches: Array<{ priority: string; tickets: number; firstResponse: number; resolution: number }>;
  pipelineValue: Array<{ pipelineId: string; pipeline: string; stageId: string; stage: string; kind: string; currency: string | null; leads: number; value: number }>;
  leadOutcomes: Array<{ bucket: string; kind: 'won' | 'lost'; leads: number }>;
}

export const reportsApi = {
  get: (token: string, query: { from?: string; to?: string; interval?: string }) => request<Report>('/v1/reports', { token, query }),
};
