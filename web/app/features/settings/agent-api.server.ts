import { request } from '~/api.server';
import type { AgentConfig } from './agent-config';

/** The AI agent's versioned configuration and its LLM providers (`api/routes/agent/`). */
export interface ConfigVersion {
  version: number;
  createdBy: string;
  createdAt: string;
}

export interface LlmProvider {
  id: string;
  kind: 'openai' | 'groq';
  baseUrl: string | null;
  model: string;
  priority: number;
  enabled: boolean;
  /** The last four characters; the key itself is never returned. */
  apiKeyHint: string;
}

export interface NewProvider {
  kind: string;
  apiKey: string;
  baseUrl?: string;
  model?: string;
  priority?: number;
}

export const agentApi = {
  active: (token: string) => request<{ activeVersion: number; config: AgentConfig }>('/v1/agent', { token }),
  versions: (token: string) => request<{ versions: ConfigVersion[] }>('/v1/agent/versions', { token }),
  saveVersion: (token: string, config: AgentConfig) =>
    request<ConfigVersion & { config: AgentConfig }>('/v1/agent/versions', { method: 'POST', token, body: config }),
  activate: (token: string, version: number) =>
    request<{ activeVersion: number }>(`/v1/agent/versions/${version}/activate`, { method: 'POST', token }),

  providers: (token: string) => request<{ providers: LlmProvider[] }>('/v1/agent/providers', { token }),
  addProvider: (token: string, body: NewProvider) => request<LlmProvider>('/v1/agent/providers', { method: 'POST', token, body }),
  removeProvider: (token: string, id: string) =>
    request<void>(`/v1/agent/providers/${encodeURIComponent(id)}`, { method: 'DELETE', token }),
};
