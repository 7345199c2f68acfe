export const statusTabs = ['open', 'snoozed', 'resolved', 'closed', 'all'] as const;
export type StatusTab = (typeof statusTabs)[number];

export function parseStatusTab(value: string | null): StatusTab {
  return statusTabs.find((tab) => tab === value) ?? 'open';
}
