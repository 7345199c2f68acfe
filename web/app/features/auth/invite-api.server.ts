import { request, type LoginResult } from '~/api.server';

/** Public (no session yet): creates the invited user and answers a signed-in session for them. */
export const acceptInvitation = (body: { token: string; name: string; password: string }) =>
  request<LoginResult>('/v1/invitations/accept', { method: 'POST', body });
