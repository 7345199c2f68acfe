import type { Db } from 'mongodb';
import { AgentConfigSchema, DEFAULT_AGENT_CONFIG, type AgentConfig } from '../../activities/ai/config/agent-config.js';

/** One immutable version of an agent's configuration. */
export interface AgentConfigVersion {
  tenantId: string;
  agentId: string;
  version: number;
  config: AgentConfig;
  createdBy: string;
  createdAt: Date;
}

/** Which version an agent runs. */
export interface AgentPointer {
  tenantId: string;
  agentId: string;
  activeVersion: number;
  updatedAt: Date;
}

const versions = (db: Db) => db.collection<AgentConfigVersion>('agent_config_versions');
const agents = (db: Db) => db.collection<AgentPointer>('agents');

/** Indexes lead with tenantId, like every tenant-owned collection. */
export async function ensureAgentConfigIndexes(db: Db): Promise<void> {
  await versions(db).createIndex({ tenantId: 1, agentId: 1, version: -1 }, { unique: true, name: 'tenant_agent_version' });
  await agents(db).createIndex({ tenantId: 1, agentId: 1 }, { unique: true, name: 'tenant_agent' });
}

/** Stores a new version (not yet active). Concurrent writers race on the unique index and retry. */
export async function createConfigVersion(db: Db, tenantId: string, agentId: string, config: AgentConfig, createdBy: string): Promise<AgentConfigVersion> {
  for (let attempt = 0; ; attempt++) {
    const [latest] = await versions(db).find({ tenantId, agentId }).sort({ version: -1 }).limit(1).toArray();
    const doc: AgentConfigVersion = { tenantId, agentId, version: (latest?.version ?? 0) + 1, config, createdBy, createdAt: new Date() };
    try {
      await versions(db).insertOne({ ...doc });
      return doc;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000 || attempt >= 5) throw err;
    }
  }
}

export async function activateConfigVersion(db: Db, tenantId: string, agentId: string, version: number): Promise<boolean> {
  const exists = await versions(db).countDocuments({ tenantId, agentId, version });
  if (!exists) return false;
  await agents(db).updateOne({ tenantId, agentId }, { $set: { activeVersion: version, updatedAt: new Date() } }, { upsert: true });
  return true;
}

export async function getConfigVersion(db: Db, tenantId: string, agentId: string, version: number) {
  return versions(db).findOne({ tenantId, agentId, version }, { projection: { _id: 0 } });
}

export async function listConfigVersions(db: Db, tenantId: string, agentId: string) {
  return versions(db).find({ tenantId, agentId }, { projection: { _id: 0, config: 0 } }).sort({ version: -1 }).limit(100).toArray();
}

/**
 * The configuration the agent runs now: its active version, or the defaults when none was ever
 * activated. Stored documents are parsed again, so an old version gains new fields' defaults.
 */
export async function activeAgentConfig(db: Db, tenantId: string, agentId = 'default'): Promise<{ version: number; config: AgentConfig }> {
  const pointer = await agents(db).findOne({ tenantId, agentId });
  if (!pointer) return { version: 0, config: DEFAULT_AGENT_CONFIG };
  // Versions never change once written, so a parsed one is kept: a reply reads only the pointer.
  const key = `${tenantId}:${agentId}:${pointer.activeVersion}`;
  const cached = parsedVersions.get(key);
  if (cached) return cached;
  const stored = await getConfigVersion(db, tenantId, agentId, pointer.activeVersion);
  if (!stored) return { version: 0, config: DEFAULT_AGENT_CONFIG };
  const active = { version: stored.version, config: AgentConfigSchema.parse(stored.config) };
  if (parsedVersions.size >= PARSED_VERSIONS_KEPT) parsedVersions.delete(parsedVersions.keys().next().value!);
  parsedVersions.set(key, active);
  return active;
}

const PARSED_VERSIONS_KEPT = 1000;
const parsedVersions = new Map<string, { version: number; config: AgentConfig }>();
