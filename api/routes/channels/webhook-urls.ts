import type { ConnectionKind } from '../../../db/schema/index.js';

/** Where each kind's provider posts to, by connection id (api/routes/webhooks). */
const PATHS: Record<ConnectionKind, string> = {
  whatsapp: 'twilio',
  sms: 'twilio',
  email: 'ses',
  instagram: 'instagram',
  telegram: 'telegram',
  chatwoot: 'chatwoot',
};

export const webhookUrl = (publicUrl: string, kind: ConnectionKind, id: string) => `${publicUrl.replace(/\/$/, '')}/webhooks/${PATHS[kind]}/${id}`;
