import { z } from 'zod';
import type { ConnectionKind } from '../../db/schema/index.js';

const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14155550100');
const Country = z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code').optional().describe('Country for numbers written without their country code');
const Secret = (min = 8) => z.string().trim().min(min).max(4096);

/**
 * What each kind of connection needs: settings that are not secret, and secrets (sealed at rest,
 * never returned). The API validates both on connect; the senders and webhooks read them back.
 */
export const CONNECTION_SPECS = {
  whatsapp: {
    config: z.object({
      accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio Account SID (AC…)'),
      from: E164.describe('The WhatsApp sender number'),
      defaultCountry: Country,
      /** Sent instead of free text outside the 24-hour window; without it such sends are refused. */
      fallbackTemplate: z
        .object({
          contentSid: z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'must be a Twilio Content SID (HX…)'),
          /** Template variables; `{{contact.name}}` and `{{message}}` are filled in per send. */
          variables: z.record(z.string().regex(/^\d{1,2}$/), z.string().max(1024)).default({}),
        })
        .optional(),
    }),
    secrets: z.object({ authToken: Secret(16) }),
  },
  sms: {
    config: z.object({
      accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio Account SID (AC…)'),
      from: E164.describe('The SMS sender number'),
      defaultCountry: Country,
    }),
    secrets: z.object({ authToken: Secret(16) }),
  },
  email: {
    config: z.object({
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'),
      fromAddress: z.string().email(),
      fromName: z.string().max(120).optional(),
      configurationSet: z.string().max(64).optional(),
      /** Only SNS notifications from this topic are accepted. */
      snsTopicArn: z.string().regex(/^arn:aws:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'must be an SNS topic ARN').optional(),
    }),
    secrets: z.object({ accessKeyId: Secret(16), secretAccessKey: Secret(16), inboundToken: Secret(16).optional() }),
  },
  instagram: {
    config: z.object({
      /** The Instagram professional account's id, the recipient of the webhooks. */
      igUserId: z.string().regex(/^\d{5,30}$/, 'must be a numeric Instagram account id'),
    }),
    secrets: z.object({ appSecret: Secret(16), accessToken: Secret(16), verifyToken: Secret(8) }),
  },
  telegram: {
    config: z.object({ botUsername: z.string().max(64).optional() }),
    secrets: z.object({
      botToken: z.string().regex(/^\d{5,15}:[\w-]{30,}$/, 'must be a bot token from @BotFather'),
      /** Sent by Telegram as X-Telegram-Bot-Api-Secret-Token; set with setWebhook. */
      webhookSecret: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 letters, digits, _ or -'),
    }),
  },
  chatwoot: {
    config: z.object({
      baseUrl: z.string().url().regex(/^https?:\/\//i, 'must be an http or https URL').describe("The Chatwoot installation's URL"),
      accountId: z.coerce.number().int().positive(),
      /** When the AI may answer (activities/channels/chatwoot/chatwoot-takeover.ts): nobody assigned, or only `pending` (Chatwoot's bot hand-off). */
      aiRepliesWhen: z.enum(['unassigned', 'pending']).default('unassigned'),
      /**
       * Only for Chatwoot before v4.11.2, which cannot sign: accept unsigned deliveries carrying the
       * webhook secret as ?token=. Off by default, since a URL ends up in logs and carries no timestamp.
       */
      acceptUrlToken: z.boolean().default(false),
    }),
    secrets: z.object({
      /** A Chatwoot user's access token: agent-bot tokens may not read conversations, which the takeover check needs. */
      apiAccessToken: Secret(8),
      /** The webhook's secret shown by Chatwoot (it signs with it); for Chatwoot before v4.11.2, any secret also put in the webhook URL as ?token=. */
      webhookSecret: Secret(16),
    }),
  },
} satisfies Record<ConnectionKind, { config: z.ZodType; secrets: z.ZodType<Record<string, string | undefined>> }>;
