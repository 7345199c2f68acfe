import { requireUser } from '../middleware/auth.js';
import { assertCan } from '../auth/permissions.js';
import { liveStream, parseLastEventId } from '../live/sse.js';
import { newRouter } from '../router.js';

/** The agents' live stream: every conversation and message change of the tenant, as SSE. */
export const eventRoutes = newRouter();
eventRoutes.use('*', requireUser);
eventRoutes.get('/', (c) => {
  const p = c.get('principal');
  assertCan(p, 'conversations:read');
  return liveStream(c, c.get('deps').live, {
    tenantId: p.tenantId,
    lastEventId: parseLastEventId(c.req.header('last-event-id'), c.req.query('since')),
  });
});
