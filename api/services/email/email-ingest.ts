import { createHash } from 'node:crypto';
import type { ApiDeps } from '../../context.js';
import { ingestChannelMessage, type ChannelIngestResult } from '../inbound.js';
import { conversationText, parseEmail, threadIdsOf } from './email-mime.js';

/**
 * Stores one inbound email on its connection's conversation. The Message-ID is the deduplication
 * key (SNS re-deliveries and a forwarder's retries carry the same mail); mail without one falls back
 * to `fallbackId` (SES's id for it) or to a hash of the raw message.
 */
export async function ingestEmail(
  deps: Pick<ApiDeps, 'db' | 'signals'>,
  connection: { id: string; tenantId: string },
  raw: Buffer,
  fallbackId?: string,
): Promise<ChannelIngestResult> {
  const email = await parseEmail(raw);
  const providerMessageId = email.messageId ?? fallbackId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  return ingestChannelMessage(deps, {
    tenantId: connection.tenantId,
    connectionId: connection.id,
    channel: 'email',
    identity: { kind: 'email', address: email.from.address },
    name: email.from.name,
    providerMessageId,
    content: conversationText(email),
    attachments: email.attachments,
    threadIds: threadIdsOf(email),
    metadata: { subject: email.subject, messageId: email.messageId, inReplyTo: email.inReplyTo, references: email.references },
  });
}
