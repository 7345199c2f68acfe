/**
 * The fields each kind of channel connection takes, mirroring `activities/channels/connection-specs.ts`.
 * Names are the API's paths (`config.from`, `secrets.authToken`) so its field errors land beside them.
 */
export interface ChannelField {
  name: string;
  label: string;
  type?: 'text' | 'password' | 'number' | 'checkbox' | 'select' | 'email' | 'url';
  required?: boolean;
  placeholder?: string;
  hint?: string;
  options?: readonly string[];
}

export interface ChannelKind {
  kind: string;
  label: string;
  /** What a sandbox connection of this kind still needs: its settings are checked even without secrets. */
  blurb: string;
  fields: ChannelField[];
}

const twilioConfig = (what: string): ChannelField[] => [
  { name: 'config.accountSid', label: 'Twilio Account SID', required: true, placeholder: 'AC…' },
  { name: 'config.from', label: `${what} sender number`, required: true, placeholder: '+14155550100' },
  { name: 'config.defaultCountry', label: 'Default country', placeholder: 'US', hint: 'For numbers written without their country code' },
];
const twilioSecrets: ChannelField[] = [{ name: 'secrets.authToken', label: 'Twilio auth token', type: 'password', required: true }];

export const CHANNEL_KINDS: ChannelKind[] = [
  {
    kind: 'whatsapp',
    label: 'WhatsApp (Twilio)',
    blurb: 'Paste the webhook URL as the sender’s “A message comes in” and status callback URL in Twilio.',
    fields: [
      ...twilioConfig('WhatsApp'),
      { name: 'config.fallbackTemplate.contentSid', label: 'Template Content SID', placeholder: 'HX…', hint: 'Sent outside the 24-hour window; without it such replies are refused' },
      ...twilioSecrets,
    ],
  },
  { kind: 'sms', label: 'SMS (Twilio)', blurb: 'Paste the webhook URL as the number’s messaging webhook in Twilio.', fields: [...twilioConfig('SMS'), ...twilioSecrets] },
  {
    kind: 'email',
    label: 'Email (Amazon SES)',
    blurb: 'Subscribe the webhook URL to the SNS topic SES publishes inbound mail and bounces to.',
    fields: [
      { name: 'config.region', label: 'AWS region', required: true, placeholder: 'eu-west-1' },
      { name: 'config.fromAddress', label: 'From address', type: 'email', required: true, placeholder: 'support@example.com' },
      { name: 'config.fromName', label: 'From name' },
      { name: 'config.configurationSet', label: 'Configuration set' },
      { name: 'config.snsTopicArn', label: 'SNS topic ARN', placeholder: 'arn:aws:sns:eu-west-1:123456789012:inbound' },
      { name: 'secrets.accessKeyId', label: 'Access key id', type: 'password', required: true },
      { name: 'secrets.secretAccessKey', label: 'Secret access key', type: 'password', required: true },
      { name: 'secrets.inboundToken', label: 'Inbound bearer token', type: 'password', hint: 'For raw MIME posts instead of SNS' },
    ],
  },
  {
    kind: 'instagram',
    label: 'Instagram',
    blurb: 'Set the webhook URL and verify token in your Meta app’s Instagram webhooks.',
    fields: [
      { name: 'config.igUserId', label: 'Instagram account id', required: true, placeholder: '17841400000000000' },
      { name: 'secrets.appSecret', label: 'App secret', type: 'password', required: true },
      { name: 'secrets.accessToken', label: 'Access token', type: 'password', required: true },
      { name: 'secrets.verifyToken', label: 'Verify token', type: 'password', required: true },
    ],
  },
  {
    kind: 'telegram',
    label: 'Telegram',
    blurb: 'Testing the connection registers the webhook with Telegram for you.',
    fields: [
      { name: 'config.botUsername', label: 'Bot username', placeholder: 'acme_support_bot' },
      { name: 'secrets.botToken', label: 'Bot token', type: 'password', required: true, placeholder: '123456:ABC…' },
      { name: 'secrets.webhookSecret', label: 'Webhook secret', type: 'password', required: true, hint: '16–256 letters, digits, _ or -' },
    ],
  },
  {
    kind: 'chatwoot',
    label: 'Chatwoot bridge',
    blurb: 'Add the webhook URL as a webhook in Chatwoot (message created, conversation updated).',
    fields: [
      { name: 'config.baseUrl', label: 'Chatwoot URL', type: 'url', required: true, placeholder: 'https://chat.example.com' },
      { name: 'config.accountId', label: 'Account id', type: 'number', required: true },
      { name: 'config.aiRepliesWhen', label: 'AI replies when the conversation is', type: 'select', options: ['unassigned', 'pending'] },
      { name: 'config.acceptUrlToken', label: 'Accept ?token= (Chatwoot before v4.11.2)', type: 'checkbox' },
      { name: 'secrets.apiAccessToken', label: 'User access token', type: 'password', required: true },
      { name: 'secrets.webhookSecret', label: 'Webhook secret', type: 'password', required: true },
    ],
  },
];

export const kindOf = (kind: string) => CHANNEL_KINDS.find((k) => k.kind === kind);
export const kindLabel = (kind: string) => kindOf(kind)?.label ?? kind;

/** Sets `a.b.c` in a nested object: the form's flat names back into the API's shape. */
export function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node = target;
  path.slice(0, -1).forEach((key) => {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  });
  node[path[path.length - 1]!] = value;
}
