import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { api, ApiError, type LoginResult } from '~/api.server';
import { getSession } from '~/session.server';
import { safeRedirectTo, signInCookie } from './auth.server';

export const meta: MetaFunction = () => [{ title: 'Sign in · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getSession(request);
  if (session.has('accessToken')) {
    throw redirect(safeRedirectTo(new URL(request.url).searchParams.get('redirectTo')));
  }
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get('email') ?? '').trim();
  const password = String(form.get('password') ?? '');
  if (!email || !password) {
    return data({ error: 'Enter your email and password.', email }, { status: 400 });
  }

  let result: LoginResult;
  try {
    result = await api.login(email, password);
  } catch (error) {
    if (error instanceof ApiError) return data({ error: error.message, email }, { status: error.status });
    throw error;
  }

  return redirect(safeRedirectTo(form.get('redirectTo')), {
    headers: { 'Set-Cookie': await signInCookie(request, result) },
  });
}

export default function LoginRoute() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const submitting = navigation.state !== 'idle' && navigation.formMethod === 'POST';

  return (
    <main className="auth-page">
      <Form method="post" className="auth-card" data-testid="login-form">
        <h1 className="brand">Switchboard</h1>
        <p className="muted">Sign in to your inbox</p>
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
        <label className="field">
          <span>Email</span>
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            defaultValue={actionData?.email}
            data-testid="login-email"
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input name="password" type="password" autoComplete="current-password" required data-testid="login-password" />
        </label>
        {actionData?.error ? (
          <p className="form-error" role="alert" data-testid="login-error">
            {actionData.error}
          </p>
        ) : null}
        <button type="submit" className="button primary" disabled={submitting} data-testid="login-submit">
          {submitting ? 'Signing in…' : 'Sign in'}
        </button>
      </Form>
    </main>
  );
}
