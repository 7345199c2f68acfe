import { newRouter } from '../../router.js';

/**
 * Providers' webhooks, at /webhooks/<provider>/<connection id>. None of them carries a user's
 * token: each checks its provider's signature against the connection's secret. Each line belongs to
 * its provider's file.
 */
export const webhookRoutes = newRouter();
