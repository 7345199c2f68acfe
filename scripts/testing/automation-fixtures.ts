import { eq } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { withTenant, type Database } from '../../db/client.js';
import { automations, automationVersions } from '../../db/schema/index.js';
import { validateDefinition } from '../../workflows/automation/validate-definition.js';

/** A graph node for tests, positioned anywhere. */
export const node = (id: string, type: string, config: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  id, type, position: { x: 0, y: 0 }, config, ...extra,
});

let edgeCount = 0;
export const edge = (source: string, target: string, handle?: string) => ({ id: `e${++edgeCount}`, source, target, ...(handle && { handle }) });

/**
 * An automation with one published, active version, written straight to the database (the API's
 * publish route has its own tests). The graph must pass publish-time validation.
 */
export async function publishAutomation(db: Database, tenantId: string, graph: { nodes: unknown[]; edges: unknown[] }, name = 'test automation') {
  const checked = validateDefinition(graph);
  if (!checked.ok) throw new Error(`invalid test graph: ${JSON.stringify(checked.errors)}`);
  const trigger = checked.definition.nodes.find((n) => n.type.startsWith('trigger.'))!;
  return withTenant(db, tenantId, async (tx) => {
    const [a] = await tx
      .insert(automations)
      .values({ tenantId, name, draft: graph, webhookToken: randomBytes(24).toString('hex') })
      .returning({ id: automations.id });
    const [v] = await tx
      .insert(automationVersions)
      .values({ tenantId, automationId: a.id, version: 1, definition: checked.definition, triggerType: trigger.type })
      .returning({ id: automationVersions.id });
    await tx
      .update(automations)
      .set({ activeVersionId: v.id, triggerType: trigger.type, triggerConfig: trigger.config as Record<string, unknown> })
      .where(eq(automations.id, a.id));
    return { automationId: a.id, versionId: v.id, definition: checked.definition };
  });
}
