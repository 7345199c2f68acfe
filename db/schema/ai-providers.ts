import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants.js';

export const llmProviderKind = pgEnum('llm_provider_kind', ['openai', 'groq']);

/**
 * A tenant's LLM providers, tried in `priority` order (the second is the fallback). Without any,
 * the agent runs on the built-in local provider. The API key is sealed (db/credential-crypto.ts).
 */
export const llmProviders = pgTable(
  'llm_providers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    kind: llmProviderKind('kind').notNull(),
    /** For OpenAI-compatible servers (Ollama, vLLM, llama.cpp); null means the vendor's own API. */
    baseUrl: text('base_url'),
    model: text('model').notNull(),
    sealedApiKey: text('sealed_api_key').notNull(),
    /** The key's last four characters, so people can tell keys apart without seeing them. */
    apiKeyHint: text('api_key_hint').notNull(),
    priority: integer('priority').notNull().default(1),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('llm_providers_tenant_idx').on(t.tenantId, t.priority)],
);
