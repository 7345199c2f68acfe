import { data, redirect, type ActionFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useParams } from '@remix-run/react';
import { ApiError, type LoginResult } from '~/api.server';
import { signInCookie } from './auth.server';
import { acceptInvitation } from './invite-api.server';

export const meta: MetaFunction = () => [{ title: 'Join your team · Switchboard' }];

type Problem = { error: string; field?: 'name' | 'password'; name: string; expired?: boolean };

/** What went wrong, told so the invitee knows what to do next. */
function problemOf(error: ApiError, name: string): Problem {
  if (error.status === 404) return { error: 'This invitation link has expired or was already used. Ask whoever invited you for a new one.', name, expired: true };
  if (error.status === 409) return { error: 'An account with this email already exists. Sign in instead.', name, expired: true };
  const fields = Array.isArray(error.fields) ? (error.fields as Array<{ field: string; message: string }>) : [];
  const bad = fields.find((f) => f.field === 'password' || f.field === 'name');
  if (bad) return { error: `${bad.field === 'password' ? 'Password' : 'Name'} ${bad.message}.`, field: bad.field as Problem['field'], name };
  return { error: error.message, name };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const name = String(form.get('name') ?? '').trim();
  const password = String(form.get('password') ?? '');
  // The API checks the name and password (one rule, in one place) and names the field at fault.

  let result: LoginResult;
  try {
    result = await acceptInvitation({ token: params.token ?? '', name, password });
  } catch (error) {
    if (error instanceof ApiError) return data<Problem>(problemOf(error, name), { status: error.status });
    throw error;
  }

  // A new person on this browser: whoever was signed in before is replaced, not mixed in.
  return redirect('/inbox', { headers: { 'Set-Cookie': await signInCookie(request, result) } });
}

export default function InviteRoute() {
  const problem = useActionData<typeof action>();
  const navigation = useNavigation();
  const { token } = useParams();
  const submitting = navigation.state !== 'idle' && navigation.formMethod === 'POST';

  return (
    <main className="auth-page">
      <Form method="post" className="auth-card" data-testid="invite-accept-form" key={token}>
        <h1 className="brand">Switchboard</h1>
        <p className="muted">You were invited to a workspace. Choose your name and a password to join.</p>
        <label className="field">
          <span>Your name</span>
          <input name="name" autoComplete="name" required autoFocus maxLength={120} defaultValue={problem?.name} data-testid="invite-name" aria-invalid={problem?.field === 'name'} />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            required
            aria-describedby="password-hint"
            aria-invalid={problem?.field === 'password'}
            data-testid="invite-password"
          />
          <span id="password-hint" className="muted small">
            At least 10 characters.
          </span>
        </label>
        {problem?.error ? (
          <p className="form-error" role="alert" data-testid="invite-accept-error">
            {problem.error}
          </p>
        ) : null}
        {problem?.expired ? (
          <p>
            <Link to="/login">Go to sign in</Link>
          </p>
        ) : null}
        <button type="submit" className="button primary" disabled={submitting} data-testid="invite-accept-submit">
          {submitting ? 'Joining…' : 'Join the workspace'}
        </button>
      </Form>
    </main>
  );
}
