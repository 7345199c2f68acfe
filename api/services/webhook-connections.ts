import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { unsealSecrets } from '../../db/credential-crypto.js';
import { channelConnections, type ConnectionKind } from '../../db/schema/index.js';
import type { ResolvedConnection } from '../../activities/channels/channel-sender.js';
import { AppError } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The connection a webhook URL names, with its secrets for checking the provider's signature. No
 * tenant is known before this (see decision 002): the lookup is by the URL's id alone, and every
 * query after it is confined to the connection's tenant.
 *
 * Unknown ids, other kinds and connections without credentials (sandbox: no secret to check a
 * signature with) all answer 404, so the URL space reveals nothing.
 */
export async function webhookConnection(db: Database, masterKey: Buffer, id: string, kinds: readonly ConnectionKind[]): Promise<ResolvedConnection & { name: string; disconnected?: boolean }> {
  const missing = new AppError('not_found', 'no such webhook');
  if (!UUID.test(id)) throw missing;
  const [row] = await db.select().from(channelConnections).where(eq(channelConnections.id, id));
  if (!row || !kinds.includes(row.kind) || !row.sealedSecrets) throw missing;
  // A disconnected channel still verifies and acknowledges (so the provider stops retrying) but the caller drops the content.
  const secrets = unsealSecrets(masterKey, row.tenantId, row.id, row.sealedSecrets);
  return { id: row.id, tenantId: row.tenantId, kind: row.kind, name: row.name, config: row.config, secrets, ...(row.status !== 'active' && { disconnected: true }) };
}
