import { createDeliveryActivities } from './conversation/delivery.activities.js';
import { createReplyActivities } from './conversation/reply.activities.js';
import { createStateActivities } from './conversation/state.activities.js';
import { createQuickReplyActivities } from './conversation/quick-reply.activities.js';
import { createToolActivities } from './ai/tools/tool.activities.js';
import { createAutomationRunActivities } from './automation/run.activities.js';
import { createTicketSlaActivities } from './tickets/ticket-sla.activities.js';
import { createContactImportActivities } from './contacts/import.activities.js';
import type { ActivityDeps } from './deps.js';
import { createKnowledgeIndexActivities } from './knowledge/index.activities.js';

export function createActivities(deps: ActivityDeps) {
  const state = createStateActivities(deps);
  const reply = createReplyActivities(deps);
  const delivery = createDeliveryActivities(deps);
  return {
    ...state,
    ...reply,
    ...delivery,
    ...createQuickReplyActivities({ ...state, ...reply, ...delivery }, deps),
    ...createToolActivities(deps),
    ...createKnowledgeIndexActivities(deps),
    ...createAutomationRunActivities(deps),
    ...createTicketSlaActivities(deps),
    ...createContactImportActivities(deps),
  };
}

/** Workflows import this type only, through proxyActivities<Activities>. */
export type Activities = ReturnType<typeof createActivities>;
