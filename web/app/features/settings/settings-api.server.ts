import { request, type User } from '~/api.server';

/** Settings API clients: users, invitations, teams, canned responses, the workspace and its widget. */

export interface Invitation {
  id: string;
  email: string;
  role: string;
  expiresAt: string;
  acceptedAt: string | null;
}

/** What `POST /v1/invitations` answers: the token is shown once, so the page shows the link then. */
export interface CreatedInvitation {
  id: string;
  email: string;
  role: string;
  expiresAt: string;
  token: string;
  /** The web app's accept page for this token, relative to the web app's origin. */
  acceptPath?: string;
}

/** A member of the workspace as lists show one. */
export type TeamMember = Pick<User, 'id' | 'name' | 'email' | 'role'>;

export interface Team {
  id: string;
  name: string;
  description: string | null;
  members: TeamMember[];
}

export interface CannedResponse {
  id: string;
  shortcut: string;
  content: string;
  updatedAt?: string;
}

export interface WidgetSettings {
  widgetKey: string;
  color: string;
  greeting: string;
  preChatForm: boolean;
  embedSnippet: string;
}

const id = (value: string) => encodeURIComponent(value);

export const usersApi = {
  list: (token: string) => request<{ users: User[] }>('/v1/users', { token }),
  changeRole: (token: string, userId: string, role: string) =>
    request<{ user: User } | User>(`/v1/users/${id(userId)}`, { method: 'PATCH', token, body: { role } }),
  remove: (token: string, userId: string) => request<void>(`/v1/users/${id(userId)}`, { method: 'DELETE', token }),

  invitations: (token: string) => request<{ invitations: Invitation[] }>('/v1/invitations', { token }),
  invite: (token: string, email: string, role: string) =>
    request<CreatedInvitation>('/v1/invitations', { method: 'POST', token, body: { email, role } }),
};

export const teamsApi = {
  list: (token: string) => request<{ teams: Team[] }>('/v1/teams', { token }),
  create: (token: string, body: { name: string; description?: string }) =>
    request<unknown>('/v1/teams', { method: 'POST', token, body }),
  update: (token: string, teamId: string, body: { name?: string; description?: string | null }) =>
    request<unknown>(`/v1/teams/${id(teamId)}`, { method: 'PATCH', token, body }),
  remove: (token: string, teamId: string) => request<void>(`/v1/teams/${id(teamId)}`, { method: 'DELETE', token }),
  setMembers: (token: string, teamId: string, userIds: string[]) =>
    request<unknown>(`/v1/teams/${id(teamId)}/members`, { method: 'PUT', token, body: { userIds } }),
};

export const cannedApi = {
  list: (token: string) => request<{ cannedResponses: CannedResponse[] }>('/v1/canned-responses', { token }),
  create: (token: string, body: { shortcut: string; content: string }) =>
    request<unknown>('/v1/canned-responses', { method: 'POST', token, body }),
  update: (token: string, cannedId: string, body: { shortcut: string; content: string }) =>
    request<unknown>(`/v1/canned-responses/${id(cannedId)}`, { method: 'PATCH', token, body }),
  remove: (token: string, cannedId: string) => request<void>(`/v1/canned-responses/${id(cannedId)}`, { method: 'DELETE', token }),
};

export const widgetApi = {
  get: (token: string) => request<WidgetSettings>('/v1/workspace/widget', { token }),
  update: (token: string, body: Partial<Pick<WidgetSettings, 'color' | 'greeting' | 'preChatForm'>>) =>
    request<WidgetSettings>('/v1/workspace/widget', { method: 'PATCH', token, body }),
};

export interface BusinessHours {
  /** 0 is Sunday. */
  days: number[];
  openMinute: number;
  closeMinute: number;
}

export interface Workspace {
  id: string;
  name: string;
  idleAutoCloseMinutes: number;
  timezone: string;
  /** Null: Monday to Friday, 9:00 to 17:00. */
  businessHours: BusinessHours | null;
  ticketAutoCloseDays: number;
  csatEnabled: boolean;
}

export const workspaceApi = {
  get: (token: string) => request<Workspace>('/v1/workspace', { token }),
  update: (token: string, body: Partial<Omit<Workspace, 'id'>>) => request<Workspace>('/v1/workspace', { method: 'PATCH', token, body }),
};
