/**
 * Chatwoot numbers contacts and messages per installation and account, so our keys for them name
 * both: two connections in one workspace must not merge strangers or drop each other's messages
 * as duplicates.
 */
const scope = (config: Record<string, unknown>) => `${new URL(String(config.baseUrl)).host}/${config.accountId}`;

export const chatwootMessageKey = (config: Record<string, unknown>, messageId: string | number) => `cw:${scope(config)}/${messageId}`;
export const chatwootContactKey = (config: Record<string, unknown>, contactId: string | number) => `${scope(config)}/${contactId}`;
