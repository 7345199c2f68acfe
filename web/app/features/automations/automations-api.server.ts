import { request } from '~/api.server';
import type { AutomationDetail, AutomationSummary, Definition, RunDetail, RunSummary, Validation, Version } from './automation-types';

const id = (value: string) => encodeURIComponent(value);

/** The automations API, as the builder's loaders and actions call it. */
export const automationsApi = {
  list: (token: string) => request<{ automations: AutomationSummary[] }>('/v1/automations', { token }),
  create: (token: string, name: string) => request<{ automation: AutomationDetail }>('/v1/automations', { method: 'POST', token, body: { name } }),
  get: (token: string, automationId: string) => request<{ automation: AutomationDetail; validation: Validation }>(`/v1/automations/${id(automationId)}`, { token }),
  update: (token: string, automationId: string, body: { name?: string; enabled?: boolean; draft?: Definition; draftRevision?: number }) =>
    request<{ automation: AutomationDetail; validation: Validation }>(`/v1/automations/${id(automationId)}`, { method: 'PATCH', token, body }),
  remove: (token: string, automationId: string) => request<void>(`/v1/automations/${id(automationId)}`, { method: 'DELETE', token }),
  publish: (token: string, automationId: string, note: string) => request<{ version: Version }>(`/v1/automations/${id(automationId)}/publish`, { method: 'POST', token, body: { note } }),
  versions: (token: string, automationId: string) => request<{ versions: Version[] }>(`/v1/automations/${id(automationId)}/versions`, { token }),
  rollback: (token: string, automationId: string, versionId: string) =>
    request<{ automation: AutomationDetail; validation: Validation }>(`/v1/automations/${id(automationId)}/rollback`, { method: 'POST', token, body: { versionId } }),
  test: (token: string, automationId: string, body: { trigger: Record<string, unknown>; conversationId?: string; contactId?: string }) =>
    request<{ run: { id: string; workflowId: string } }>(`/v1/automations/${id(automationId)}/test`, { method: 'POST', token, body }),
  runs: (token: string, automationId: string) => request<{ runs: RunSummary[]; nextCursor: string | null }>(`/v1/automations/${id(automationId)}/runs`, { token, query: { limit: 30 } }),
  run: (token: string, runId: string) => request<{ run: RunDetail }>(`/v1/automation-runs/${id(runId)}`, { token }),
  decide: (token: string, runId: string, approve: boolean) => request<unknown>(`/v1/automation-runs/${id(runId)}/approval`, { method: 'POST', token, body: { approve } }),
};
