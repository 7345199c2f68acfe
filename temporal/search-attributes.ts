/**
 * Custom search attributes, registered on the dev server at start and declared in docker-compose.
 * The dev server's SQL visibility has only 10 Keyword columns, so every new one needs a reason.
 * Values are ids and enums, never personal data.
 */
export const SEARCH_ATTRIBUTE_TYPES = {
  TenantId: 'Keyword',
  ConversationStatus: 'Keyword',
  ConversationOwner: 'Keyword',
  /** An automation run's status, so ops can list the failed or waiting ones. */
  AutomationStatus: 'Keyword',
} as const;
