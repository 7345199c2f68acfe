import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { unsealSecrets } from '../../db/credential-crypto.js';
import { channelConnections } from '../../db/schema/index.js';
import type { ResolvedConnection } from './channel-sender.js';

/**
 * A connection with its secrets unsealed, or null when it has none (the sandbox transport). A
 * disconnected connection is an error: its conversations cannot be answered until it is back.
 */
export async function resolveConnection(tx: Tx, masterKey: Buffer, connectionId: string): Promise<ResolvedConnection | null> {
  const [row] = await tx.select().from(channelConnections).where(eq(channelConnections.id, connectionId));
  if (!row) throw new ConnectionUnavailable('the channel connection no longer exists');
  if (row.status !== 'active') throw new ConnectionUnavailable(`the ${row.kind} connection "${row.name}" is disconnected`);
  if (!row.sealedSecrets) return null;
  const secrets = unsealSecrets(masterKey, row.tenantId, row.id, row.sealedSecrets);
  return { id: row.id, tenantId: row.tenantId, kind: row.kind, config: row.config, secrets };
}

export class ConnectionUnavailable extends Error {}
