import { createDeliveryActivities } from './conversation/delivery.activities.js';
import { createReplyActivities } from './conversation/reply.activities.js';
import { createStateActivities } from './conversation/state.activities.js';
import type { ActivityDeps } from './deps.js';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createStateActivities(deps),
    ...createReplyActivities(deps),
    ...createDeliveryActivities(deps),
  };
}

/** Workflows import this type only, through proxyActivities<Activities>. */
export type Activities = ReturnType<typeof createActivities>;
