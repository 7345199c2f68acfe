import { asc, eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { decryptCredential } from '../../../db/credential-crypto.js';
import { llmProviders } from '../../../db/schema/index.js';
import { assertPublicUrl } from '../../http/guarded-request.js';
import { createProvider, withFallback } from './create-provider.js';
import { ProviderError, type LlmProvider } from './types.js';

/** Whether the tenant has an LLM to answer with: one indexed read in the caller's tenant transaction. */
export async function hasLlm(tx: Tx): Promise<boolean> {
  const rows = await tx.select({ id: llmProviders.id }).from(llmProviders).where(eq(llmProviders.enabled, true)).limit(1);
  return rows.length > 0;
}

/** The tenant's enabled providers, primary first: a read to issue inside the caller's tenant transaction. */
export function enabledProviders(tx: Tx) {
  return tx.select().from(llmProviders).where(eq(llmProviders.enabled, true)).orderBy(asc(llmProviders.priority), asc(llmProviders.createdAt)).limit(2);
}

/** The tenant's LLM (primary, with the next one as fallback) from `enabledProviders`, or null to use the local provider. */
export async function llmFromRows(rows: Array<typeof llmProviders.$inferSelect>, masterKey: Buffer, tenantId: string, opts: { allowPrivateNetworks?: boolean } = {}): Promise<LlmProvider | null> {
  for (const r of rows) if (r.baseUrl) await assertProviderUrl(r.kind, r.kind, r.baseUrl, opts.allowPrivateNetworks);
  const providers = rows.map((r) =>
    createProvider({ kind: r.kind, apiKey: decryptCredential(masterKey, tenantId, r.id, r.sealedApiKey), baseUrl: r.baseUrl ?? undefined, model: r.model }),
  );
  if (providers.length === 0) return null;
  return providers.length === 1 ? providers[0] : withFallback(providers[0], providers[1]);
}

/** A base URL pointing into the operator's own network is refused unless they allowed it; no retry changes that. */
export async function assertProviderUrl(provider: string, label: string, baseUrl: string, allowPrivateNetworks = false): Promise<void> {
  await assertPublicUrl(baseUrl, allowPrivateNetworks).catch((err: Error) => {
    throw new ProviderError(provider, `${label}: ${err.message}`, false);
  });
}
