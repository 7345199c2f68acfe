import { GetSendQuotaCommand, SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { ApplicationFailure } from '@temporalio/common';
import type { ChannelSender, ResolvedConnection } from '../channel-sender.js';
import { sesFailure } from './ses-errors.js';
import { composeReply } from './ses-mime.js';

interface EmailConfig {
  region: string;
  fromAddress: string;
  fromName?: string;
  configurationSet?: string;
}

function client(connection: ResolvedConnection, endpoint: string | undefined) {
  const { region } = connection.config as unknown as EmailConfig;
  return new SESClient({
    region,
    credentials: { accessKeyId: connection.secrets.accessKeyId, secretAccessKey: connection.secrets.secretAccessKey },
    ...(endpoint && { endpoint }),
    // Temporal retries the activity; the SDK's own retries would only stretch one attempt past the outbox lease.
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 },
  });
}

/**
 * The header SES gives the mail it sends: its message id at email.amazonses.com (us-east-1) or at
 * <region>.amazonses.com. Customers' replies quote it in In-Reply-To and References.
 */
export const sesMessageIdHeader = (sesMessageId: string, region: string) =>
  `<${sesMessageId}@${region === 'us-east-1' ? 'email' : region}.amazonses.com>`;

/**
 * Email through Amazon SES, from the connection's verified sender identity. SES takes no
 * idempotency key: a worker that dies after SES accepted a mail and before `sent` is stored sends it
 * again on retry, unless SES's Delivery notification (carrying our message id header) arrived first.
 */
export function sesSender(endpoint?: string): ChannelSender {
  return {
    async send(msg, { connection }) {
      const cfg = connection.config as unknown as EmailConfig;
      if (!msg.to) throw ApplicationFailure.nonRetryable('the conversation has no email address to reply to', 'NoRecipient');
      const { raw, subject } = await composeReply(msg, { address: cfg.fromAddress, name: cfg.fromName });
      const ses = client(connection, endpoint);
      try {
        const out = await ses.send(
          new SendRawEmailCommand({
            RawMessage: { Data: raw },
            Source: cfg.fromAddress,
            Destinations: [msg.to],
            ...(cfg.configurationSet && { ConfigurationSetName: cfg.configurationSet }),
          }),
        );
        if (!out.MessageId) throw ApplicationFailure.retryable('SES answered without a MessageId', 'SesNoMessageId');
        return { providerMessageId: out.MessageId, metadata: { messageId: sesMessageIdHeader(out.MessageId, cfg.region), subject } };
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        throw sesFailure(err);
      } finally {
        ses.destroy();
      }
    },

    async test(connection) {
      const ses = client(connection, endpoint);
      try {
        const q = await ses.send(new GetSendQuotaCommand({}));
        return { ok: true, message: `SES accepted the credentials: ${q.SentLast24Hours ?? 0} of ${q.Max24HourSend ?? 0} emails sent in the last 24 hours` };
      } catch (err) {
        return { ok: false, message: sesFailure(err).message };
      } finally {
        ses.destroy();
      }
    },
  };
}
