import { data, redirect, type Session } from '@remix-run/node';
import { api, ApiError, type LoginResult, type Tokens } from '~/api.server';
import { commitSession, destroySession, getSession, type SessionData } from '~/session.server';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface Authed<T> {
  result: ApiResult<T>;
  /** The access token that was used last (possibly freshly refreshed). */
  accessToken: string;
  /** Carries Set-Cookie when the tokens were refreshed: always pass it on with the response. */
  headers: Headers;
}

/**
 * Calls the API with the session's access token. On a 401 it refreshes the tokens once,
 * stores them in the session and retries; when that fails too the user is sent to /login.
 * API errors are returned (not thrown) so the refreshed cookie is never lost.
 */
export async function withAuth<T>(request: Request, call: (accessToken: string) => Promise<T>): Promise<Authed<T>> {
  const session = await getSession(request);
  const accessToken = session.get('accessToken');
  const refreshToken = session.get('refreshToken');
  if (!accessToken || !refreshToken) throw await signOut(request, session);

  const first = await attempt(call, accessToken);
  if (first.ok || first.error.status !== 401) return { result: first, accessToken, headers: new Headers() };

  let tokens: Tokens;
  try {
    tokens = await refreshOnce(refreshToken);
  } catch (error) {
    if (error instanceof ApiError && error.status >= 500) {
      return { result: { ok: false, error }, accessToken, headers: new Headers() };
    }
    throw await signOut(request, session);
  }
  session.set('accessToken', tokens.accessToken);
  session.set('refreshToken', tokens.refreshToken);
  const headers = new Headers({ 'Set-Cookie': await commitSession(session) });

  const second = await attempt(call, tokens.accessToken);
  if (!second.ok && second.error.status === 401) throw await signOut(request, session);
  return { result: second, accessToken: tokens.accessToken, headers };
}

/** For loaders: the value, or a thrown route error response (rendered by an ErrorBoundary). */
export function unwrap<T>({ result, headers }: Authed<T>): T {
  if (result.ok) return result.value;
  throw data({ message: result.error.message, code: result.error.code }, { status: result.error.status, headers });
}

export { safeRedirectTo } from './safe-redirect';

/**
 * The Set-Cookie that signs this browser in as `result`'s user (login and invite accept). Every
 * field is overwritten, so whoever was signed in before is replaced, not mixed in.
 */
export async function signInCookie(request: Request, result: LoginResult): Promise<string> {
  const session = await getSession(request);
  session.set('accessToken', result.accessToken);
  session.set('refreshToken', result.refreshToken);
  session.set('userId', result.user.id);
  session.set('userRole', result.user.role);
  session.set('userName', result.user.name);
  session.set('userEmail', result.user.email);
  session.set('tenantName', result.tenant.name);
  return commitSession(session);
}

async function signOut(request: Request, session: Session<SessionData>) {
  const url = new URL(request.url);
  const redirectTo = url.pathname + url.search;
  const to = redirectTo === '/' ? '/login' : `/login?${new URLSearchParams({ redirectTo })}`;
  return redirect(to, { headers: { 'Set-Cookie': await destroySession(session) } });
}

async function attempt<T>(call: (accessToken: string) => Promise<T>, accessToken: string): Promise<ApiResult<T>> {
  try {
    return { ok: true, value: await call(accessToken) };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error };
    throw error;
  }
}

// The loaders of one navigation run in parallel and may all see the same expired token.
// Share one refresh per refresh token so token rotation does not invalidate the others.
const refreshes = new Map<string, Promise<Tokens>>();

function refreshOnce(refreshToken: string): Promise<Tokens> {
  let pending = refreshes.get(refreshToken);
  if (!pending) {
    pending = api.refresh(refreshToken);
    refreshes.set(refreshToken, pending);
    const forget = () => refreshes.delete(refreshToken);
    pending.then(() => setTimeout(forget, 30_000).unref(), forget);
  }
  return pending;
}
