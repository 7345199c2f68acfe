/** The status segment of the inbox; `all` sends no status filter to the API. */
export const statusTabs = ['open', 'pending', 'snoozed', 'resolved', 'closed', 'all'] as const;
export type StatusTab = (typeof statusTabs)[number];

/** An unknown or missing status falls back to open: what agents work on by default. */
export function parseStatusTab(value: string | null): StatusTab {
  return statusTabs.find((tab) => tab === value) ?? 'open';
}
