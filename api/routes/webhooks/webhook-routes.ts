import { newRouter } from '../../router.js';
import { twilioWebhooks } from './twilio-webhooks.js';
import { instagramWebhooks } from './instagram-webhooks.js';
import { telegramWebhooks } from './telegram-webhooks.js';
import { chatwootWebhooks } from './chatwoot-webhooks.js';
import { sesWebhooks } from './ses-webhooks.js';
import { automationWebhooks } from './automation-webhooks.js';

/**
 * Providers' webhooks, at /webhooks/<provider>/<connection id>. None of them carries a user's
 * token: each checks its provider's signature against the connection's secret. Each line belongs to
 * its provider's file.
 */
export const webhookRoutes = newRouter();
webhookRoutes.route('/twilio', twilioWebhooks);
webhookRoutes.route('/instagram', instagramWebhooks);
webhookRoutes.route('/telegram', telegramWebhooks);
webhookRoutes.route('/chatwoot', chatwootWebhooks);
webhookRoutes.route('/ses', sesWebhooks);
webhookRoutes.route('/automations', automationWebhooks);
