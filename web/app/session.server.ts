import { createCookieSessionStorage } from '@remix-run/node';
import { env } from '~/env.server';

export interface SessionData {
  accessToken: string;
  refreshToken: string;
  userId: string;
  userRole: string;
  userName: string;
  userEmail: string;
  tenantName: string;
}

const storage = createCookieSessionStorage<SessionData>({
  cookie: {
    name: '__switchboard',
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: env.COOKIE_SECURE,
    secrets: [env.SESSION_SECRET],
    maxAge: 60 * 60 * 24 * 30,
  },
});

export const getSession = (request: Request) => storage.getSession(request.headers.get('Cookie'));
export const { commitSession, destroySession } = storage;
