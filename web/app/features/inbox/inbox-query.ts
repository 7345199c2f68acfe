import { parseStatusTab, type StatusTab } from './status-filter';

/**
 * The inbox's whole state lives in the query string, so links, reloads and the back button keep
 * it. This module is the one place that reads and writes it; it has no server or React imports.
 */
export const inboxViews = ['mine', 'unassigned', 'all', 'ai'] as const;
export type InboxViewTab = (typeof inboxViews)[number];

export const viewLabels: Record<InboxViewTab, string> = {
  mine: 'Mine',
  unassigned: 'Unassigned',
  all: 'All',
  ai: 'AI',
};

export interface InboxQuery {
  view: InboxViewTab;
  status: StatusTab;
  channel: string;
  label: string;
  assigneeId: string;
  teamId: string;
  q: string;
}

/** The filters a person picks beside the view and status; an empty string means "any". */
export const filterKeys = ['channel', 'label', 'assigneeId', 'teamId'] as const;
export type FilterKey = (typeof filterKeys)[number];

/** The API's channels (temporal/contracts.ts CHANNELS, plus Chatwoot); web code imports no server code. */
export const inboxChannels = ['widget', 'whatsapp', 'sms', 'email', 'instagram', 'telegram', 'voice', 'api', 'chatwoot'];

const DEFAULTS: InboxQuery = { view: 'all', status: 'open', channel: '', label: '', assigneeId: '', teamId: '', q: '' };
const MAX_TEXT = 200;

const MAX_LABEL = 40;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A hand-edited or stale link drops what the API would refuse (a 400 would replace the inbox).
const text = (value: string | null, max = MAX_TEXT) => (value ?? '').trim().slice(0, max);
const uuid = (value: string | null) => (UUID.test(text(value)) ? text(value).toLowerCase() : '');
const oneOf = (value: string | null, allowed: readonly string[]) => (allowed.includes(text(value)) ? text(value) : '');

export function parseInboxQuery(params: URLSearchParams): InboxQuery {
  const view = params.get('view');
  return {
    view: inboxViews.find((v) => v === view) ?? DEFAULTS.view,
    status: parseStatusTab(params.get('status')),
    channel: oneOf(params.get('channel'), inboxChannels),
    label: text(params.get('label'), MAX_LABEL).toLowerCase(),
    assigneeId: uuid(params.get('assigneeId')),
    teamId: uuid(params.get('teamId')),
    q: text(params.get('q')),
  };
}

/** The query string for a state, leaving out defaults so URLs stay short and stable. */
export function inboxSearch(query: InboxQuery): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(DEFAULTS) as Array<keyof InboxQuery>) {
    // The status is always written: a missing one means "open", and links stay explicit.
    if (query[key] && (query[key] !== DEFAULTS[key] || key === 'status')) params.set(key, query[key]);
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

export function withQuery(query: InboxQuery, patch: Partial<InboxQuery>): string {
  return inboxSearch({ ...query, ...patch });
}

export function activeFilterCount(query: InboxQuery): number {
  return filterKeys.filter((key) => query[key] !== '').length + (query.q ? 1 : 0);
}

/** What the list endpoint takes for this state (the API reads "mine" from the signed-in user). */
export function toListParams(query: InboxQuery) {
  return {
    view: query.view,
    status: query.status === 'all' ? undefined : query.status,
    channel: query.channel || undefined,
    label: query.label || undefined,
    assigneeId: query.assigneeId || undefined,
    teamId: query.teamId || undefined,
    q: query.q || undefined,
  };
}

/** Initials for an assignee avatar: "Ada Lovelace" → "AL", "ops@x.io" → "O". */
export function initials(name: string): string {
  const words = name.replace(/@.*$/, '').split(/[\s._-]+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((w) => w.charAt(0).toUpperCase()).join('') || '?';
}
