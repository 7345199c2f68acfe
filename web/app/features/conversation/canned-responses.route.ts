import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { withAuth } from '../auth/auth.server';
import { conversationApi, type CannedResponse } from './conversation-api.server';

/** The reply box's `/shortcut` lookup; a failure is an empty list plus a reason, never an error page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get('q') ?? '').slice(0, 100);
  const { result, headers } = await withAuth(request, (token) => conversationApi.searchCanned(token, q));
  const payload: { q: string; cannedResponses: CannedResponse[]; error: string | null } = result.ok
    ? { q, cannedResponses: result.value.cannedResponses ?? [], error: null }
    : { q, cannedResponses: [], error: result.error.message };
  return data(payload, { headers });
}
