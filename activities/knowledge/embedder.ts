import OpenAI from 'openai';
import { and, asc, eq } from 'drizzle-orm';
import { withTenant, type Database } from '../../db/client.js';
import { decryptCredential } from '../../db/credential-crypto.js';
import { llmProviders } from '../../db/schema/index.js';
import { assertProviderUrl } from '../ai/providers/tenant-providers.js';
import { ProviderError, providerErrorFrom } from '../ai/providers/types.js';
import { LOCAL_DIMENSIONS, LOCAL_EMBEDDING_MODEL, localEmbedding } from './embed.js';

/** Turns texts into vectors; `model` is stored with every vector so queries use the same one. */
export interface Embedder {
  readonly model: string;
  embed(texts: string[]): Promise<number[][]>;
}

export { LOCAL_EMBEDDING_MODEL };
export const OPENAI_EMBEDDING_MODEL = 'text-embedding-3-small';
export const OPENAI_EMBEDDING_DIMENSIONS = 1536;
if (LOCAL_DIMENSIONS > OPENAI_EMBEDDING_DIMENSIONS) throw new Error('pgvector padding assumes local vectors are the smaller ones');

/** The built-in hashed embedding (embed.ts): no key, no network; the default. */
export const localEmbedder: Embedder = {
  model: LOCAL_EMBEDDING_MODEL,
  embed: async (texts) => texts.map(localEmbedding),
};

// OpenAI accepts up to 2,048 inputs per request; 100 chunks of at most 800 characters stay far
// below its per-request token limit too.
const OPENAI_BATCH = 100;

export function openAiEmbedder(settings: { apiKey: string; baseUrl?: string; timeoutMs?: number; maxRetries?: number }): Embedder {
  const client = new OpenAI({
    apiKey: settings.apiKey,
    timeout: settings.timeoutMs ?? 30_000,
    maxRetries: settings.maxRetries ?? 2,
    ...(settings.baseUrl && { baseURL: settings.baseUrl }),
  });
  return {
    model: OPENAI_EMBEDDING_MODEL,
    async embed(texts) {
      const out: number[][] = [];
      for (let start = 0; start < texts.length; start += OPENAI_BATCH) {
        const input = texts.slice(start, start + OPENAI_BATCH);
        const res = await client.embeddings.create({ model: OPENAI_EMBEDDING_MODEL, input }).catch((err: unknown) => {
          throw providerErrorFrom('openai', 'openai embeddings', err);
        });
        if (res.data.length !== input.length) throw new ProviderError('openai', `openai embeddings: ${res.data.length} vectors for ${input.length} inputs`, true);
        for (const d of [...res.data].sort((a, b) => a.index - b.index)) out.push(d.embedding);
      }
      return out;
    },
  };
}

async function openAiProvider(db: Database, tenantId: string) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(llmProviders)
      .where(and(eq(llmProviders.enabled, true), eq(llmProviders.kind, 'openai')))
      .orderBy(asc(llmProviders.priority), asc(llmProviders.createdAt))
      .limit(1),
  );
  return row;
}

/** The model the tenant's documents are embedded with now; reads one row, no key, no network. */
export async function tenantEmbeddingModel(db: Database, tenantId: string): Promise<string> {
  return (await openAiProvider(db, tenantId)) ? OPENAI_EMBEDDING_MODEL : LOCAL_EMBEDDING_MODEL;
}

/**
 * The tenant's embedder: OpenAI's `text-embedding-3-small` through its first enabled OpenAI
 * provider (at that provider's base URL), or the local embedding when it has none. Groq offers no
 * embeddings, so a Groq-only tenant embeds locally. A base URL into a private network is refused,
 * as for chat (tenant-providers.ts), unless the operator allowed it.
 */
export async function tenantEmbedder(db: Database, masterKey: Buffer, tenantId: string, opts: { allowPrivateNetworks?: boolean } = {}): Promise<Embedder> {
  const row = await openAiProvider(db, tenantId);
  if (!row) return localEmbedder;
  if (row.baseUrl) await assertProviderUrl('openai', 'openai embeddings', row.baseUrl, opts.allowPrivateNetworks);
  return openAiEmbedder({ apiKey: decryptCredential(masterKey, tenantId, row.id, row.sealedApiKey), baseUrl: row.baseUrl ?? undefined });
}
