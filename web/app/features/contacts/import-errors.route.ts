import type { LoaderFunctionArgs } from '@remix-run/node';
import { withAuth } from '../auth/auth.server';
import { contactsApi } from './contacts-api.server';

/** The import's error report, fetched with the signed-in user's token. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const authed = await withAuth(request, (token) => contactsApi.errorsCsv(token, params.importId!));
  if (!authed.result.ok) return new Response(authed.result.error.message, { status: authed.result.error.status });
  return new Response(authed.result.value, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="import-errors.csv"` } });
}
