import { ApiError, request } from '~/api.server';

/** What the inbox's filter menus offer. Any list may be empty when its endpoint is unavailable. */
export interface InboxOptions {
  users: Array<{ id: string; name: string }>;
  teams: Array<{ id: string; name: string }>;
  labels: string[];
}

type LabelEntry = string | { name?: string; label?: string };

const fetchUsers = (token: string) =>
  request<{ users: Array<{ id: string; name: string; email: string }> }>('/v1/users', { token }).then(({ users }) =>
    users.map((u) => ({ id: u.id, name: u.name || u.email })),
  );

const fetchTeams = (token: string) =>
  request<{ teams: Array<{ id: string; name: string }> }>('/v1/teams', { token }).then(({ teams }) =>
    teams.map((t) => ({ id: t.id, name: t.name })),
  );

const fetchLabels = (token: string) =>
  request<{ labels: LabelEntry[] }>('/v1/labels', { token }).then(({ labels }) =>
    labels.map((l) => (typeof l === 'string' ? l : (l.name ?? l.label ?? ''))).filter(Boolean),
  );

/**
 * Every live event revalidates the inbox, and these lists change rarely, so they are cached per
 * access token (tokens are short-lived and tenant-scoped) for a few seconds. A failed list is
 * shown as empty and not cached; a 401 is rethrown so `withAuth` refreshes the token.
 */
const TTL_MS = 15_000;
const MAX_ENTRIES = 500;
const cache = new Map<string, { at: number; value: InboxOptions }>();

/** After a change to what the menus offer (a new label), so the filter can pick it at once. */
export function forgetInboxOptions(token: string) {
  cache.delete(token);
}

export async function inboxOptions(token: string): Promise<InboxOptions> {
  const hit = cache.get(token);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;

  let complete = true;
  const settle = <T,>(promise: Promise<T[]>) =>
    promise.catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401) throw error;
      complete = false;
      return [] as T[];
    });
  const [users, teams, labels] = await Promise.all([settle(fetchUsers(token)), settle(fetchTeams(token)), settle(fetchLabels(token))]);
  const value = { users, teams, labels: [...new Set(labels)].sort((a, b) => a.localeCompare(b)) };

  if (complete) {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(token, { at: Date.now(), value });
  }
  return value;
}
