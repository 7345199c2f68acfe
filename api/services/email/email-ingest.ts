import { createHash } from 'node:crypto';
import type { ApiDeps } from '../../context.js';
import { ingestChannelMessage, type ChannelIngestResult } from '../inbound.js';
import { conversationText, parseEmail, threadIdsOf } from './email-mime.js';

/**
 * Stores one inbound email on its connection's conversation. The Message-ID is the deduplication
 * key (SNS re-deliveries and a forwarder's retries carry the same mail); mail without one falls back
 * to `fallbackId` (SES's id for it) or to a hash of the raw message.
 *
 * Mail whose sender did not authenticate (`authenticated: false`) never joins the contact its From
 * names: anyone can write any From, and joining would hand a stranger that customer's history and
 * let the AI act on their account. It goes to a contact of its own, marked, for a person to judge.
 */
export async function ingestEmail(
  deps: Pick<ApiDeps, 'db' | 'signals'>,
  connection: { id: string; tenantId: string },
  raw: Buffer,
  opts: { fallbackId?: string; authenticated: boolean },
): Promise<ChannelIngestResult> {
  const email = await parseEmail(raw);
  const providerMessageId = email.messageId ?? opts.fallbackId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  return ingestChannelMessage(deps, {
    tenantId: connection.tenantId,
    connectionId: connection.id,
    channel: 'email',
    identity: { kind: opts.authenticated ? 'email' : 'email_unverified', address: email.from.address },
    name: email.from.name,
    providerMessageId,
    content: conversationText(email),
    attachments: email.attachments,
    threadIds: threadIdsOf(email),
    metadata: { subject: email.subject, messageId: email.messageId, inReplyTo: email.inReplyTo, references: email.references, ...(!opts.authenticated && { unauthenticated: true }) },
  });
}
