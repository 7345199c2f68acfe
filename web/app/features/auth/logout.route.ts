import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { api } from '~/api.server';
import { destroySession, getSession } from '~/session.server';

export async function loader() {
  return redirect('/inbox');
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await getSession(request);
  const refreshToken = session.get('refreshToken');
  // Revoking is best effort: the session cookie is cleared either way.
  if (refreshToken) await api.logout(refreshToken).catch(() => undefined);
  return redirect('/login', { headers: { 'Set-Cookie': await destroySession(session) } });
}
