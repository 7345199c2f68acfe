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
 * Every live event revalidates the inbox. Users and teams are small lookups and are read each time,
 * so a teammate or team just added is in the menus at once. The labels list is counted over the
 * tenant's conversations, so it alone is cached per access token (short-lived, tenant-scoped) for
 * a few seconds, which folds a burst of events into one count. A failed list is shown as empty and
 * not cached; a 401 is rethrown so `withAuth` refreshes the token.
 */
const LABELS_TTL_MS = 5_000;
const MAX_ENTRIES = 500;
const labelCache = new Map<string, { at: number; labels: string[] }>();

/** After a change to what the menus offer (a new label), so the filter can pick it at once. */
export function forgetInboxOptions(token: string) {
  labelCache.delete(token);
}

async function cachedLabels(token: string): Promise<string[]> {
  const hit = labelCache.get(token);
  if (hit && Date.now() - hit.at < LABELS_TTL_MS) return hit.labels;
  const labels = [...new Set(await fetchLabels(token))].sort((a, b) => a.localeCompare(b));
  if (labelCache.size >= MAX_ENTRIES) labelCache.delete(labelCache.keys().next().value!);
  labelCache.set(token, { at: Date.now(), labels });
  return labels;
}

export async function inboxOptions(token: string): Promise<InboxOptions> {
  const settle = <T,>(promise: Promise<T[]>) =>
    promise.catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401) throw error;
      return [] as T[];
    });
  const [users, teams, labels] = await Promise.all([settle(fetchUsers(token)), settle(fetchTeams(token)), settle(cachedLabels(token))]);
  return { users, teams, labels };
}
