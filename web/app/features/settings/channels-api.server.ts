import { request } from '~/api.server';

/** Channel connections (`api/routes/channels/connection-routes.ts`). */
export interface ChannelConnection {
  id: string;
  kind: string;
  name: string;
  config: Record<string, unknown>;
  /** The last four characters of each stored secret. */
  secretHints: Record<string, string>;
  /** No credentials: sends are recorded as sent and nothing leaves the platform. */
  sandbox: boolean;
  status: 'active' | 'disconnected';
  webhookUrl: string | null;
  lastTest: { at: string; ok: boolean; message: string } | null;
  createdAt: string;
}

export interface ConnectInput {
  kind: string;
  name: string;
  config: Record<string, unknown>;
  secrets?: Record<string, string>;
}

const path = (id: string, action = '') => `/v1/channels/connections/${encodeURIComponent(id)}${action}`;

export const channelsApi = {
  list: (token: string) => request<{ connections: ChannelConnection[] }>('/v1/channels/connections', { token }),
  connect: (token: string, body: ConnectInput) =>
    request<ChannelConnection>('/v1/channels/connections', { method: 'POST', token, body }),
  test: (token: string, id: string) => request<ChannelConnection>(path(id, '/test'), { method: 'POST', token }),
  disconnect: (token: string, id: string) => request<ChannelConnection>(path(id, '/disconnect'), { method: 'POST', token }),
  reconnect: (token: string, id: string) => request<ChannelConnection>(path(id, '/reconnect'), { method: 'POST', token }),
};
