import { ApplicationFailure } from '@temporalio/common';
import type { ChannelSender, OutboundMessage, ResolvedConnection, SendContext, SendResult } from '../channel-sender.js';
import { twilioClientFactory } from './twilio-client.js';
import { twilioFailure } from './twilio-errors.js';
import { templateVariables, whatsappWindowOpen, type FallbackTemplate } from './whatsapp-window.js';

interface TwilioConfig {
  accountSid: string;
  from: string;
  fallbackTemplate?: FallbackTemplate;
}

const credentials = (connection: ResolvedConnection) => {
  const config = connection.config as unknown as TwilioConfig;
  const authToken = connection.secrets.authToken;
  if (!config.accountSid || !authToken) throw ApplicationFailure.nonRetryable(`the ${connection.kind} connection has no Twilio Account SID or Auth Token`, 'TwilioUnauthorized');
  return { config, authToken };
};

/**
 * WhatsApp and SMS through Twilio's Messages API. WhatsApp addresses carry Twilio's `whatsapp:`
 * prefix; conversations store the bare E.164 number, so one person is one contact on both.
 *
 * Twilio's Messages API takes no idempotency key. The status callback URL carries our message id
 * instead: once Twilio reports on a message whose attempt died before recording it, the delivery
 * activity sees the provider id and does not send again. The risk left, a crash after Twilio
 * accepted and before its first callback, is one duplicate at most.
 */
export function twilioSender(apiUrl?: string): ChannelSender {
  const clientFor = twilioClientFactory(apiUrl);
  return {
    async send(msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
      const { connection } = ctx;
      const { config, authToken } = credentials(connection);
      if (!msg.to) throw ApplicationFailure.nonRetryable('the conversation has no phone number to send to', 'NoAddress');
      const whatsapp = connection.kind === 'whatsapp';
      const address = (n: string) => (whatsapp ? `whatsapp:${n}` : n);
      const statusCallback = `${ctx.publicUrl.replace(/\/$/, '')}/webhooks/twilio/${connection.id}/status?m=${msg.messageId}`;
      let content: { body: string } | { contentSid: string; contentVariables: string };
      let metadata: Record<string, unknown> | undefined;
      const chosen = whatsapp ? requestedTemplate(msg.metadata) : undefined;
      if (chosen) {
        // An automation's template send: approved templates may open a conversation at any time.
        content = { contentSid: chosen.contentSid, contentVariables: JSON.stringify(chosen.variables) };
        metadata = { template: chosen.contentSid };
      } else if (whatsapp && !whatsappWindowOpen(msg.lastInboundAt)) {
        // Free text would be refused by WhatsApp (Twilio 63016, reported only later as a failed status): decide here, before anything is sent.
        const template = config.fallbackTemplate;
        if (!template) {
          throw ApplicationFailure.nonRetryable("outside WhatsApp's 24-hour window and no template is configured: the customer has not written in the last 24 hours", 'WhatsAppWindowClosed');
        }
        content = { contentSid: template.contentSid, contentVariables: templateVariables(template, { message: msg.content, contactName: msg.contactName }) };
        metadata = { template: template.contentSid, window: 'closed' };
      } else {
        content = { body: msg.content };
      }
      try {
        const sent = await clientFor(config.accountSid, authToken).messages.create({ from: address(config.from), to: address(msg.to), statusCallback, ...content });
        return { providerMessageId: sent.sid, ...(metadata && { metadata }) };
      } catch (err) {
        throw twilioFailure(err);
      }
    },

    async test(connection: ResolvedConnection) {
      const { config, authToken } = credentials(connection);
      try {
        const account = await clientFor(config.accountSid, authToken).api.v2010.accounts(config.accountSid).fetch();
        if (account.status !== 'active') return { ok: false, message: `The Twilio account "${account.friendlyName}" is ${account.status}.` };
        return { ok: true, message: `Connected to the Twilio account "${account.friendlyName}".` };
      } catch (err) {
        return { ok: false, message: twilioFailure(err).message };
      }
    },
  };
}

/** Both Twilio kinds share one sender (and its HTTP client). */
export function twilioSenders(apiUrl?: string) {
  const sender = twilioSender(apiUrl);
  return { whatsapp: sender, sms: sender };
}

/** The template a message asked for (an automation's `send WhatsApp template` step), if any. */
function requestedTemplate(metadata: Record<string, unknown> | null): { contentSid: string; variables: Record<string, string> } | undefined {
  const t = metadata?.whatsappTemplate as { contentSid?: unknown; variables?: unknown } | undefined;
  if (!t || typeof t.contentSid !== 'string') return undefined;
  const variables = t.variables && typeof t.variables === 'object' ? Object.fromEntries(Object.entries(t.variables).map(([k, v]) => [k, String(v)])) : {};
  return { contentSid: t.contentSid, variables };
}
