import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { OutboundMessage } from '../channel-sender.js';

/** Our message id on every mail we send: SES echoes it in delivery and bounce notifications that include headers. */
export const OUR_MESSAGE_ID_HEADER = 'X-Switchboard-Message-Id';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? v.split(/\s+/) : []).filter(Boolean);

/**
 * The subject of a reply: the message's own subject when it has one, else "Re: " and the subject of
 * the customer's latest email (without stacking "Re: Re:"), else a neutral one.
 */
export function replySubject(msg: Pick<OutboundMessage, 'metadata' | 'thread'>, fromName?: string): string {
  const own = str(msg.metadata?.subject);
  if (own) return own;
  const thread = str(msg.thread?.subject);
  if (thread) return /^re:/i.test(thread) ? thread : `Re: ${thread}`;
  return fromName ? `A message from ${fromName}` : 'A reply to your message';
}

/**
 * The thread headers of a reply: In-Reply-To is the customer's latest Message-ID, and References
 * continues their chain with it (RFC 5322 §3.6.4). Long chains keep their newest ten ids.
 */
export function threadHeaders(thread: Record<string, unknown> | null): { inReplyTo?: string; references?: string[] } {
  const parent = str(thread?.messageId);
  if (!parent) return {};
  const chain = ids(thread?.references).filter((r) => r !== parent);
  return { inReplyTo: parent, references: [...chain, parent].slice(-10) };
}

/** The raw MIME message SES sends (SES replaces Message-ID with its own). */
export async function composeReply(
  msg: OutboundMessage,
  from: { address: string; name?: string },
): Promise<{ raw: Buffer; subject: string }> {
  const subject = replySubject(msg, from.name);
  const { inReplyTo, references } = threadHeaders(msg.thread);
  const raw = await new MailComposer({
    from: from.name ? { name: from.name, address: from.address } : from.address,
    to: msg.to!,
    subject,
    text: msg.content,
    ...(inReplyTo && { inReplyTo, references }),
    headers: { [OUR_MESSAGE_ID_HEADER]: msg.messageId },
  })
    .compile()
    .build();
  return { raw, subject };
}
