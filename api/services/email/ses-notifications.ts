import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { withTenant } from '../../../db/client.js';
import { contactIdentities } from '../../../db/schema/index.js';
import type { ApiDeps } from '../../context.js';
import { normaliseEmail } from '../addresses.js';
import { advanceDeliveryStatus } from '../delivery-status.js';
import { InvalidEmail } from './email-mime.js';
import { ingestEmail } from './email-ingest.js';

const Mail = z.object({
  messageId: z.string().min(1).max(256),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});

/** The SES notifications we act on; SES sends them as `notificationType`, configuration-set events as `eventType`. */
const SesNotification = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('Received'),
    mail: Mail,
    receipt: z.object({ action: z.object({ type: z.string(), encoding: z.enum(['UTF8', 'BASE64']).optional() }).passthrough() }).passthrough(),
    content: z.string({ error: 'missing: the receipt rule must use an SNS action, which includes the content' }).min(1),
  }),
  z.object({
    type: z.literal('Bounce'),
    mail: Mail,
    bounce: z.object({
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z.array(z.object({ emailAddress: z.string(), status: z.string().optional(), diagnosticCode: z.string().optional() })).min(1),
    }),
  }),
  z.object({
    type: z.literal('Complaint'),
    mail: Mail,
    complaint: z.object({ complainedRecipients: z.array(z.object({ emailAddress: z.string() })).min(1), complaintFeedbackType: z.string().optional() }),
  }),
  z.object({ type: z.literal('Delivery'), mail: Mail }),
]);
type SesNotification = z.infer<typeof SesNotification>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NotificationOutcome =
  | { kind: 'received'; messageId: string; conversationId: string; duplicate: boolean }
  | { kind: 'bounce' | 'complaint'; addresses: string[] }
  | { kind: 'delivery' }
  | { kind: 'ignored'; reason: string };

/** Reads an SNS Message as an SES notification; throws InvalidEmail naming the bad field. */
export function parseSesNotification(message: string): SesNotification | { ignored: string } {
  let json: any;
  try {
    json = JSON.parse(message);
  } catch {
    throw new InvalidEmail('Message', 'Message is not JSON');
  }
  const type = json?.notificationType ?? json?.eventType;
  if (typeof type !== 'string') throw new InvalidEmail('Message.notificationType', 'Message is not an SES notification');
  // Transient bounces, sends, opens and the like need nothing from us.
  if (!['Received', 'Bounce', 'Complaint', 'Delivery'].includes(type)) return { ignored: `${type} notifications are not used` };
  const parsed = SesNotification.safeParse({ ...json, type });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidEmail(['Message', ...issue.path].join('.'), issue.message);
  }
  return parsed.data;
}

/**
 * Did the sender's domain vouch for this mail? DMARC's verdict when the domain publishes a policy;
 * otherwise an SPF or DKIM pass. Anything else (a forged From, or SES sending no verdicts) is
 * unauthenticated.
 */
export function senderAuthenticated(receipt: Record<string, unknown>): boolean {
  const verdict = (name: string) => ((receipt[name] as { status?: string } | undefined)?.status ?? '').toUpperCase();
  const dmarc = verdict('dmarcVerdict');
  if (dmarc === 'PASS') return true;
  if (dmarc === 'FAIL') return false;
  return verdict('spfVerdict') === 'PASS' || verdict('dkimVerdict') === 'PASS';
}

function decodeContent(n: Extract<SesNotification, { type: 'Received' }>): Buffer {
  if (n.receipt.action.encoding !== 'BASE64') return Buffer.from(n.content, 'utf8');
  const compact = n.content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) throw new InvalidEmail('Message.content', 'content is not valid base64');
  return Buffer.from(compact, 'base64');
}

/** Our message id, when SES included the original headers (they carry X-Switchboard-Message-Id). */
function ourMessageId(n: SesNotification): string | undefined {
  const v = n.mail.headers?.find((h) => h.name.toLowerCase() === 'x-switchboard-message-id')?.value.trim();
  return v && UUID.test(v) ? v : undefined;
}

/**
 * Acts on one verified SES notification for a connection: a received mail joins its conversation, a
 * permanent bounce or a complaint marks the address (the sender refuses it from then on) and a
 * bounce fails the message, a delivery advances it. Every branch is idempotent, so SNS re-deliveries are harmless.
 */
export async function handleSesNotification(
  deps: Pick<ApiDeps, 'db' | 'signals'>,
  connection: { id: string; tenantId: string },
  message: string,
): Promise<NotificationOutcome> {
  const n = parseSesNotification(message);
  if ('ignored' in n) return { kind: 'ignored', reason: n.ignored };
  const ours = ourMessageId(n);
  const ref = ours ? { messageId: ours } : { channel: 'email', providerMessageId: n.mail.messageId };
  switch (n.type) {
    case 'Received': {
      const r = await ingestEmail(deps, connection, decodeContent(n), { fallbackId: n.mail.messageId, authenticated: senderAuthenticated(n.receipt) });
      return { kind: 'received', messageId: r.messageId, conversationId: r.conversationId, duplicate: r.duplicate };
    }
    case 'Delivery':
      await advanceDeliveryStatus(deps.db, connection.tenantId, ref, 'delivered', null, n.mail.messageId);
      return { kind: 'delivery' };
    case 'Bounce': {
      if (n.bounce.bounceType !== 'Permanent') return { kind: 'ignored', reason: `${n.bounce.bounceType} bounces are retried by SES` };
      const why = (r: (typeof n.bounce.bouncedRecipients)[number]) =>
        `${n.bounce.bounceType}/${n.bounce.bounceSubType ?? 'General'}${r.diagnosticCode ? `: ${r.diagnosticCode}` : r.status ? `: ${r.status}` : ''}`;
      const marked = await markAddresses(deps, connection.tenantId, 'bounced', n.bounce.bouncedRecipients.map((r) => ({ address: r.emailAddress, detail: why(r) })));
      const reason = `the address ${marked.join(', ')} bounced (${why(n.bounce.bouncedRecipients[0])})`;
      await advanceDeliveryStatus(deps.db, connection.tenantId, ref, 'failed', reason, n.mail.messageId);
      return { kind: 'bounce', addresses: marked };
    }
    case 'Complaint': {
      // The mail was delivered; the complaint stops further mail to the address without rewriting this one.
      const detail = `complaint${n.complaint.complaintFeedbackType ? `: ${n.complaint.complaintFeedbackType}` : ''}`;
      const marked = await markAddresses(deps, connection.tenantId, 'complained', n.complaint.complainedRecipients.map((r) => ({ address: r.emailAddress, detail })));
      return { kind: 'complaint', addresses: marked };
    }
  }
}

async function markAddresses(deps: Pick<ApiDeps, 'db'>, tenantId: string, status: 'bounced' | 'complained', recipients: Array<{ address: string; detail: string }>) {
  const valid = recipients.flatMap((r) => {
    const address = normaliseEmail(r.address);
    return address ? [{ address, detail: r.detail.slice(0, 1000) }] : [];
  });
  if (!valid.length) throw new InvalidEmail('Message.recipients', 'no valid recipient address');
  await withTenant(deps.db, tenantId, async (tx) => {
    for (const r of valid) {
      // The first mark stands: a complaint after a bounce does not hide why mail stopped.
      await tx
        .update(contactIdentities)
        .set({ status, statusDetail: r.detail })
        .where(and(eq(contactIdentities.tenantId, tenantId), eq(contactIdentities.channel, 'email'), eq(contactIdentities.externalId, r.address), eq(contactIdentities.status, 'ok')));
    }
  });
  return valid.map((r) => r.address);
}
