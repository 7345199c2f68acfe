import { htmlToText } from 'html-to-text';
import { simpleParser, type AddressObject } from 'mailparser';
import { normaliseEmail } from '../addresses.js';

/** An inbound email reduced to what a conversation keeps: readable text, thread ids and attachment metadata. */
export interface ParsedEmail {
  from: { address: string; name: string | null };
  subject: string | null;
  text: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  attachments: Array<{ filename?: string; contentType: string; size: number }>;
}

export class InvalidEmail extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

// Thread chains can be long; the newest ids are the ones a reply can match.
const MAX_THREAD_IDS = 20;
const MESSAGE_ID = /^<[^<>\s]{1,500}>$/;

const firstAddress = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value?.[0];
const cleanIds = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v ? v.split(/\s+/) : []).map((id) => id.trim()).filter((id) => MESSAGE_ID.test(id));

/**
 * Parses raw MIME. HTML-only mail becomes text (mailparser's html-to-text); attachments keep their
 * name, type and size only, since their bytes are not stored. Throws InvalidEmail naming what is missing.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  if (!raw.length) throw new InvalidEmail('body', 'the email is empty');
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const sender = firstAddress(mail.from);
  const address = sender?.address ? normaliseEmail(sender.address) : null;
  if (!address) throw new InvalidEmail('from', 'the email has no valid From address');
  const attachments = mail.attachments.map((a) => ({ ...(a.filename && { filename: a.filename }), contentType: a.contentType, size: a.size }));
  // mailparser converts HTML only when it is the whole message; HTML beside attachments is converted here.
  const body = mail.text?.trim() ? mail.text : typeof mail.html === 'string' ? htmlToText(mail.html, { selectors: [{ selector: 'a', options: { ignoreHref: true } }, { selector: 'img', format: 'skip' }] }) : '';
  const text = body.replace(/\r\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return {
    from: { address, name: sender?.name?.trim() || null },
    subject: mail.subject?.trim() || null,
    text,
    messageId: cleanIds(mail.messageId)[0] ?? null,
    inReplyTo: cleanIds(mail.inReplyTo)[0] ?? null,
    references: cleanIds(mail.references).slice(-MAX_THREAD_IDS),
    attachments,
  };
}

/**
 * The provider ids a reply may answer, newest last: the quoted Message-IDs as they are, and for
 * Amazon SES ones (<id@email.amazonses.com>, <id@eu-west-1.amazonses.com>) also the bare SES id,
 * which is what our own sent messages store.
 */
export function threadIdsOf(email: Pick<ParsedEmail, 'inReplyTo' | 'references'>): string[] {
  const quoted = [...email.references.filter((r) => r !== email.inReplyTo), ...(email.inReplyTo ? [email.inReplyTo] : [])];
  const ids: string[] = [];
  for (const id of quoted) {
    const ses = /^<([^@<>]+)@(?:email|[a-z]{2}(?:-[a-z]+)+-\d)\.amazonses\.com>$/i.exec(id);
    ids.push(id);
    if (ses) ids.push(ses[1]);
  }
  return [...new Set(ids)].slice(-MAX_THREAD_IDS);
}

/** What the conversation shows: the text, else a line per attachment, never an empty message. */
export function conversationText(email: Pick<ParsedEmail, 'text' | 'subject' | 'attachments'>): string {
  if (email.text) return email.text;
  if (email.attachments.length) return email.attachments.map((a) => `[attachment: ${a.filename ?? a.contentType}]`).join('\n');
  return email.subject ?? '(empty email)';
}
