import type { LoaderFunctionArgs } from '@remix-run/node';
import { withAuth } from '../auth/auth.server';
import { contactsApi } from './contacts-api.server';

/** The contact export, streamed through from the API with the signed-in user's token. */
export async function loader({ request }: LoaderFunctionArgs) {
  const authed = await withAuth(request, (token) => contactsApi.exportCsv(token, new URL(request.url).search));
  if (!authed.result.ok) return new Response(authed.result.error.message, { status: authed.result.error.status });
  const res = authed.result.value;
  return new Response(res.body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="contacts.csv"' } });
}
