import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { withAuth } from '../auth/auth.server';
import { mentionsApi, type Mention } from './mentions-api.server';

const LIST_LIMIT = 15;
/** The badge shows "99+" past this; the API's own page limit is 100. */
const COUNT_LIMIT = 100;

export interface MentionsPayload {
  mentions: Mention[];
  /** Mentions newer than `since` (all of them without it), capped at COUNT_LIMIT. */
  unread: number;
  error: string | null;
}

/**
 * The top bar's mentions menu: the latest mentions and how many are newer than `since`, the last
 * time this browser opened the list. A failure is an empty list plus a reason, never an error page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const since = validDate(new URL(request.url).searchParams.get('since'));
  const { result, headers } = await withAuth(request, (token) =>
    Promise.all([mentionsApi.list(token, { limit: LIST_LIMIT }), mentionsApi.list(token, { since, limit: COUNT_LIMIT })]),
  );
  if (!result.ok) return data<MentionsPayload>({ mentions: [], unread: 0, error: result.error.message }, { headers });
  const [latest, newer] = result.value;
  // The API compares at microseconds, `since` has milliseconds: the note `since` was taken from would
  // count again, so compare at the precision the browser has.
  const unread = since ? newer.mentions.filter((m) => Date.parse(m.createdAt) > Date.parse(since)).length : newer.mentions.length;
  return data<MentionsPayload>({ mentions: latest.mentions, unread, error: null }, { headers });
}

/** The menu reloads itself on live `note` events; the page's own revalidations need not carry it. */
export const shouldRevalidate = () => false;

function validDate(value: string | null): string | undefined {
  if (!value || Number.isNaN(Date.parse(value))) return undefined;
  return new Date(value).toISOString();
}
