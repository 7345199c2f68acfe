import { data, redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { withAuth } from '../auth/auth.server';
import { automationsApi } from './automations-api.server';

/**
 * `/automations/runs/:runId`: JSON for the builder's polling (`?data`), or, opened as a page (the
 * inbox links runs), the run shown on its automation's graph.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const authed = await withAuth(request, (token) => automationsApi.run(token, params.runId!));
  if (!authed.result.ok) throw data({ message: authed.result.error.message }, { status: authed.result.error.status, headers: authed.headers });
  const { run } = authed.result.value;
  if (new URL(request.url).searchParams.has('data')) return data({ run }, { headers: authed.headers });
  throw redirect(`/automations/${run.automationId}?run=${run.id}`, { headers: authed.headers });
}
