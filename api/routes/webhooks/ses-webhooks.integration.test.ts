import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactIdentities, conversations, messages } from '../../../db/schema/index.js';
import { startFakeSes, type FakeSes } from '../../../scripts/testing/fake-ses-server.js';
import { startFakeSns, type FakeSns } from '../../../scripts/testing/fake-sns.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:northwind-mail';
// Made-up credentials: the fake SES checks the SigV4 signature they make, nothing else.
const ACCOUNT = { accessKeyId: 'TESTKEYID0NOTREAL000', secretAccessKey: 'test-secret-access-key-not-real-000000000' };
const INBOUND_TOKEN = 'inbound-token-0123456789abcdef';
const SUPPORT = 'support@northwind.example';

let h: Harness;
let ses: FakeSes;
let sns: FakeSns;
let ws: Awaited<ReturnType<Harness['signup']>>;
let connectionId: string;

beforeAll(async () => {
  [ses, sns] = await Promise.all([startFakeSes(ACCOUNT), startFakeSns()]);
  h = await startHarness({ config: { SES_ENDPOINT: ses.url, SNS_CERT_URL_PATTERN: '^http://127\\.0\\.0\\.1:\\d+/' } });
  ws = await h.signup('ses');
  const conn = await h.call(
    'POST',
    '/v1/channels/connections',
    { kind: 'email', name: 'Support mail', config: { region: 'us-east-1', fromAddress: SUPPORT, fromName: 'Northwind Support', snsTopicArn: TOPIC }, secrets: { ...ACCOUNT, inboundToken: INBOUND_TOKEN } },
    ws.accessToken,
  );
  expect(conn.status).toBe(201);
  connectionId = conn.body.id;
});
afterAll(async () => {
  await h?.close();
  await Promise.all([ses?.close(), sns?.close()]);
});

const customer = () => `c-${randomUUID().slice(0, 8)}@customer.example`;
const mime = (mail: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer({ to: SUPPORT, ...mail }).compile().build();
const postSns = (body: unknown, id = connectionId) =>
  h.call('POST', `/webhooks/ses/${id}`, typeof body === 'string' ? body : JSON.stringify(body), undefined, { 'content-type': 'text/plain; charset=UTF-8' });
const postRaw = (raw: Buffer | string, headers: Record<string, string> = { authorization: `Bearer ${INBOUND_TOKEN}`, 'content-type': 'message/rfc822' }) =>
  h.call('POST', `/webhooks/ses/${connectionId}/raw`, raw.toString(), undefined, headers);

/** What SES publishes for a receipt rule with an SNS action. */
function received(raw: Buffer, encoding: 'UTF8' | 'BASE64' = 'UTF8', sesId = `ses-in-${randomUUID()}`, auth: 'PASS' | 'FAIL' = 'PASS') {
  return {
    notificationType: 'Received',
    mail: { timestamp: new Date().toISOString(), source: 'x@customer.example', messageId: sesId, destination: [SUPPORT], headersTruncated: false, headers: [], commonHeaders: {} },
    receipt: { timestamp: new Date().toISOString(), recipients: [SUPPORT], spamVerdict: { status: 'PASS' }, virusVerdict: { status: 'PASS' }, spfVerdict: { status: auth }, dkimVerdict: { status: auth }, dmarcVerdict: { status: auth }, action: { type: 'SNS', topicArn: TOPIC, encoding } },
    content: encoding === 'BASE64' ? raw.toString('base64') : raw.toString('utf8'),
  };
}
const mailRef = (sesMessageId: string) => ({ timestamp: new Date().toISOString(), source: SUPPORT, messageId: sesMessageId, destination: ['x@customer.example'] });

async function aiReplyTo(inboundId: string) {
  return eventually(async () => {
    const [r] = await h.db.select().from(messages).where(and(eq(messages.inReplyTo, inboundId), eq(messages.authorRole, 'ai')));
    return r && r.deliveryStatus !== 'queued' && r;
  }, 'the AI reply to be sent or failed');
}
const storedByProviderId = (id: string) => h.db.select().from(messages).where(and(eq(messages.tenantId, ws.tenant.id), eq(messages.channel, 'email'), eq(messages.providerMessageId, id)));
// Unfolded (RFC 5322 §2.2.3): long headers such as References continue on indented lines.
const header = (raw: string, name: string) =>
  new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw)?.[1].replace(/\r?\n[ \t]+/g, ' ').trim();

describe('SNS subscription and signatures', () => {
  it('confirms the subscription only once the signature passes', async () => {
    const forged = sns.subscriptionConfirmation(TOPIC, { foreignKey: true });
    expect((await postSns(forged)).status).toBe(403);
    expect(sns.confirmations).not.toContain(forged.Token);
    const real = sns.subscriptionConfirmation(TOPIC, { version: '2' });
    const ok = await postSns(real);
    expect(ok.status).toBe(200);
    expect(ok.body.confirmed).toBe(true);
    expect(sns.confirmations).toContain(real.Token);
  });

  it('rejects every forged, altered or unsigned message with 403 and stores nothing', async () => {
    const from = customer();
    const raw = await mime({ from, subject: 'forged', text: 'pay me', messageId: `<${randomUUID()}@customer.example>` });
    const good = sns.notification(TOPIC, received(raw));
    const { Signature: _s, ...unsigned } = good;
    const { SigningCertURL: _c, ...noCert } = good;
    const confirmation = sns.subscriptionConfirmation(TOPIC);
    const variants: Array<[string, unknown]> = [
      ['tampered Message', { ...good, Message: good.Message.replace('pay me', 'pay us') }],
      ['signed with another key', sns.notification(TOPIC, received(raw), { foreignKey: true })],
      ['signed, but for another topic', sns.notification('arn:aws:sns:us-east-1:123456789012:someone-else', received(raw))],
      ['TopicArn changed after signing', { ...good, TopicArn: 'arn:aws:sns:us-east-1:123456789012:someone-else' }],
      ['certificate on another host', { ...good, SigningCertURL: good.SigningCertURL.replace('127.0.0.1', 'localhost') }],
      ['certificate over https elsewhere', { ...good, SigningCertURL: good.SigningCertURL.replace('http://127.0.0.1', 'https://sns.us-east-1.amazonaws.com.evil.example') }],
      ['certificate not a .pem', { ...good, SigningCertURL: good.SigningCertURL.replace('.pem', '.cer') }],
      ['certificate that does not exist', { ...good, SigningCertURL: `${sns.url}/SimpleNotificationService-0000.pem` }],
      ['missing Signature', unsigned],
      ['empty Signature', { ...good, Signature: '' }],
      ['missing SigningCertURL', noCert],
      ['unknown SignatureVersion', { ...good, SignatureVersion: '3' }],
      ['version 1 signature presented as version 2', { ...good, SignatureVersion: '2' }],
      ['signature of another message', { ...good, Signature: sns.notification(TOPIC, { other: true }).Signature }],
      ['confirmation with a changed SubscribeURL', { ...confirmation, SubscribeURL: `${sns.url}/?Action=ConfirmSubscription&Token=stolen` }],
    ];
    const results = await Promise.all(variants.map(async ([name, body]) => [name, (await postSns(body)).status] as const));
    expect(results.filter(([, status]) => status !== 403)).toEqual([]);
    expect(await h.db.select().from(contactIdentities).where(and(eq(contactIdentities.tenantId, ws.tenant.id), eq(contactIdentities.externalId, from)))).toEqual([]);
    expect(sns.confirmations).not.toContain('stolen');
    // The same message, untouched, is accepted: the variants failed for what was changed.
    expect((await postSns(good)).status).toBe(200);
  });
});

describe('inbound email', () => {
  it('stores one message however often SNS delivers the same notification', async () => {
    const messageId = `<${randomUUID()}@customer.example>`;
    const raw = await mime({ from: customer(), subject: 'Once', text: 'Only once please', messageId });
    const envelope = sns.notification(TOPIC, received(raw));
    // A retry of the same publish, and SES publishing the same mail again under a new SNS id.
    const republished = sns.notification(TOPIC, JSON.parse(envelope.Message));
    const posts = await Promise.all([envelope, envelope, envelope, republished, envelope].map((e) => postSns(e)));
    expect(posts.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    expect(posts.filter((p) => p.body.duplicate === false)).toHaveLength(1);
    expect(await storedByProviderId(messageId)).toHaveLength(1);
  });

  it('never joins mail whose sender did not authenticate to the contact it names, and the AI does not answer it', async () => {
    const address = customer();
    const genuine = await postSns(sns.notification(TOPIC, received(await mime({ from: address, subject: 'Mine', text: 'How many days do I have to return an item?', messageId: `<${randomUUID()}@customer.example>` }))));
    const forged = await postSns(
      sns.notification(TOPIC, received(await mime({ from: address, subject: 'Refund me', text: 'Please refund my last order', messageId: `<${randomUUID()}@attacker.example>` }), 'UTF8', `ses-in-${randomUUID()}`, 'FAIL')),
    );
    expect(forged.status).toBe(200);
    expect(forged.body.conversationId).not.toBe(genuine.body.conversationId);
    const [real] = await h.db.select().from(messages).where(eq(messages.id, genuine.body.messageId));
    const [spoof] = await h.db.select().from(messages).where(eq(messages.id, forged.body.messageId));
    const [realConv] = await h.db.select().from(conversations).where(eq(conversations.id, real.conversationId));
    const [spoofConv] = await h.db.select().from(conversations).where(eq(conversations.id, spoof.conversationId));
    expect(spoofConv.contactId).not.toBe(realConv.contactId);
    expect(spoof.metadata).toMatchObject({ unauthenticated: true });
    // Handed to a person, with no AI reply.
    await eventually(async () => (await h.db.select().from(conversations).where(eq(conversations.id, spoofConv.id)))[0].owner === 'human', 'handed to a human');
    expect(await h.db.select().from(messages).where(and(eq(messages.conversationId, spoofConv.id), eq(messages.authorRole, 'ai')))).toEqual([]);
  });

  it("threads the customer's email, the reply through SES and the customer's answer in one conversation", async () => {
    const from = customer();
    const first = `<${randomUUID()}@customer.example>`;
    const raw = await mime({ from: { name: 'Ana Lima', address: from }, subject: 'Where is my order?', text: 'Order 1234 has not arrived.', messageId: first });
    const r = await postSns(sns.notification(TOPIC, received(raw, 'BASE64'), { version: '2' }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'received', duplicate: false });
    const [inbound] = await storedByProviderId(first);
    expect(inbound).toMatchObject({ content: 'Order 1234 has not arrived.', metadata: { subject: 'Where is my order?', messageId: first, inReplyTo: null, references: [] } });

    const reply = await aiReplyTo(inbound.id);
    expect(reply.deliveryStatus).toBe('sent');
    const mail = ses.sent.find((s) => s.messageId === reply.providerMessageId)!;
    expect(mail.destinations).toEqual([from]);
    expect(mail.source).toBe(SUPPORT);
    expect(header(mail.raw, 'From')).toBe(`Northwind Support <${SUPPORT}>`);
    expect(header(mail.raw, 'Subject')).toBe('Re: Where is my order?');
    expect(header(mail.raw, 'In-Reply-To')).toBe(first);
    expect(header(mail.raw, 'References')).toBe(first);
    expect(reply.metadata).toMatchObject({ messageId: `<${reply.providerMessageId}@email.amazonses.com>`, subject: 'Re: Where is my order?' });

    // A newer conversation with the same person: only the thread headers can send the answer home.
    const [other] = await h.db
      .insert(conversations)
      .values({ tenantId: ws.tenant.id, contactId: (await h.db.select().from(conversations).where(eq(conversations.id, inbound.conversationId)))[0].contactId, channel: 'email', connectionId, address: from })
      .returning();
    const answer = `<${randomUUID()}@customer.example>`;
    const rawAnswer = await mime({
      from,
      subject: 'Re: Where is my order?',
      text: 'Thanks, it just arrived!',
      messageId: answer,
      inReplyTo: `<${reply.providerMessageId}@email.amazonses.com>`,
      // Only our Message-ID, so the match must come from SES's id, which our sent message stores.
      references: [`<${reply.providerMessageId}@email.amazonses.com>`],
    });
    expect((await postSns(sns.notification(TOPIC, received(rawAnswer)))).status).toBe(200);
    const [stored] = await storedByProviderId(answer);
    expect(stored.conversationId).toBe(inbound.conversationId);
    expect(stored.conversationId).not.toBe(other.id);
    expect(stored.metadata).toMatchObject({ inReplyTo: `<${reply.providerMessageId}@email.amazonses.com>` });

    // The next reply continues the customer's chain.
    const second = await aiReplyTo(stored.id);
    const secondMail = ses.sent.find((s) => s.messageId === second.providerMessageId)!;
    expect(header(secondMail.raw, 'In-Reply-To')).toBe(answer);
    expect(header(secondMail.raw, 'References')).toBe(`<${reply.providerMessageId}@email.amazonses.com> ${answer}`);
  });

  it('turns HTML-only mail into readable text and keeps attachment metadata', async () => {
    const messageId = `<${randomUUID()}@customer.example>`;
    const raw = await mime({
      from: customer(),
      subject: 'Broken zip',
      html: '<div><p>Hi <strong>Northwind</strong>,</p><p>The zip on my jacket broke after <em>two</em> days.</p><style>p{color:red}</style></div>',
      messageId,
      attachments: [
        { filename: 'zip.jpg', content: Buffer.alloc(2048, 7), contentType: 'image/jpeg' },
        { filename: 'receipt.pdf', content: Buffer.alloc(512, 1), contentType: 'application/pdf' },
      ],
    });
    const r = await postSns(sns.notification(TOPIC, received(raw, 'BASE64')));
    expect(r.status).toBe(200);
    const [stored] = await storedByProviderId(messageId);
    expect(stored.content).toContain('Hi Northwind,');
    expect(stored.content).toContain('The zip on my jacket broke after two days.');
    expect(stored.content).not.toMatch(/<|color:red/);
    expect(stored.attachments).toEqual([
      { filename: 'zip.jpg', contentType: 'image/jpeg', size: 2048 },
      { filename: 'receipt.pdf', contentType: 'application/pdf', size: 512 },
    ]);
  });

  it('takes raw MIME from a forwarder with the inbound token only', async () => {
    const messageId = `<${randomUUID()}@customer.example>`;
    const raw = await mime({ from: customer(), subject: 'Forwarded', text: 'Via the forwarder', messageId });
    expect((await postRaw(raw, { 'content-type': 'message/rfc822' })).status).toBe(401);
    expect((await postRaw(raw, { authorization: 'Bearer wrong-token-wrong-token', 'content-type': 'message/rfc822' })).status).toBe(401);
    expect((await postRaw(raw, { authorization: `Bearer ${INBOUND_TOKEN}x`, 'content-type': 'message/rfc822' })).status).toBe(401);
    const wrongType = await postRaw(raw, { authorization: `Bearer ${INBOUND_TOKEN}`, 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    expect(await storedByProviderId(messageId)).toEqual([]);
    const ok = await postRaw(raw);
    expect(ok.status).toBe(201);
    expect((await postRaw(raw)).body).toMatchObject({ duplicate: true, messageId: ok.body.messageId });
    const [stored] = await storedByProviderId(messageId);
    expect(stored.content).toBe('Via the forwarder');
  });
});

describe('bounces, complaints and deliveries', () => {
  it('a permanent bounce marks the address, fails the message, and later mail to it never reaches SES', async () => {
    const from = customer();
    const raw = await mime({ from, subject: 'Hello', text: 'Is anyone there?', messageId: `<${randomUUID()}@customer.example>` });
    const r = await postSns(sns.notification(TOPIC, received(raw)));
    const reply = await aiReplyTo(r.body.messageId);
    expect(reply.deliveryStatus).toBe('sent');
    const bounce = {
      notificationType: 'Bounce',
      bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: from, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }], timestamp: new Date().toISOString(), feedbackId: randomUUID() },
      mail: mailRef(reply.providerMessageId!),
    };
    const posted = await postSns(sns.notification(TOPIC, bounce));
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ kind: 'bounce', addresses: [from] });
    const [identity] = await h.db.select().from(contactIdentities).where(and(eq(contactIdentities.tenantId, ws.tenant.id), eq(contactIdentities.externalId, from)));
    expect(identity).toMatchObject({ status: 'bounced', statusDetail: 'Permanent/General: smtp; 550 5.1.1 user unknown' });
    const [failed] = await h.db.select().from(messages).where(eq(messages.id, reply.id));
    expect(failed.deliveryStatus).toBe('failed');
    expect(failed.error).toContain('bounced');

    const sentBefore = ses.sent.filter((s) => s.destinations.includes(from)).length;
    const again = await mime({ from, subject: 'Hello?', text: 'Still nobody?', messageId: `<${randomUUID()}@customer.example>` });
    const r2 = await postSns(sns.notification(TOPIC, received(again)));
    const refused = await aiReplyTo(r2.body.messageId);
    expect(refused.deliveryStatus).toBe('failed');
    expect(refused.error).toBe(`the address ${from} bounced; it is not mailed again`);
    expect(ses.sent.filter((s) => s.destinations.includes(from))).toHaveLength(sentBefore);
  });

  it('a complaint marks the address; a transient bounce does not; a delivery advances the message', async () => {
    const from = customer();
    const raw = await mime({ from, subject: 'Hi', text: 'Question about sizes', messageId: `<${randomUUID()}@customer.example>` });
    const r = await postSns(sns.notification(TOPIC, received(raw)));
    const reply = await aiReplyTo(r.body.messageId);
    const transient = { notificationType: 'Bounce', bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull', bouncedRecipients: [{ emailAddress: from }] }, mail: mailRef(reply.providerMessageId!) };
    expect((await postSns(sns.notification(TOPIC, transient))).body.kind).toBe('ignored');
    // The crash window: SES took the mail but the worker died before storing SES's id. The Delivery
    // notification names our id in the original headers, so the message still learns it.
    await h.db.update(messages).set({ providerMessageId: null }).where(eq(messages.id, reply.id));
    const delivery = {
      notificationType: 'Delivery',
      delivery: { recipients: [from], timestamp: new Date().toISOString() },
      mail: { ...mailRef(reply.providerMessageId!), headers: [{ name: 'X-Switchboard-Message-ID', value: reply.id }] },
    };
    expect((await postSns(sns.notification(TOPIC, delivery))).status).toBe(200);
    expect((await h.db.select().from(messages).where(eq(messages.id, reply.id)))[0]).toMatchObject({ deliveryStatus: 'delivered', providerMessageId: reply.providerMessageId });
    const complaint = { notificationType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: from.toUpperCase() }], complaintFeedbackType: 'abuse' }, mail: mailRef(reply.providerMessageId!) };
    expect((await postSns(sns.notification(TOPIC, complaint))).body).toMatchObject({ kind: 'complaint', addresses: [from] });
    const [identity] = await h.db.select().from(contactIdentities).where(and(eq(contactIdentities.tenantId, ws.tenant.id), eq(contactIdentities.externalId, from)));
    expect(identity).toMatchObject({ status: 'complained', statusDetail: 'complaint: abuse' });
    // Delivered stays delivered: a complaint does not rewrite the mail's history.
    expect((await h.db.select().from(messages).where(eq(messages.id, reply.id)))[0].deliveryStatus).toBe('delivered');
  });
});

describe('sending through SES', () => {
  it('fails a message SES rejects, retries one it throttles, and tests the credentials', async () => {
    ses.failNext('MessageRejected');
    const a = await postSns(sns.notification(TOPIC, received(await mime({ from: customer(), subject: 'A', text: 'first', messageId: `<${randomUUID()}@customer.example>` }))));
    const rejected = await aiReplyTo(a.body.messageId);
    expect(rejected.deliveryStatus).toBe('failed');
    expect(rejected.error).toMatch(/^SES MessageRejected: Email address is not verified/);

    ses.failNext('Throttling');
    const b = await postSns(sns.notification(TOPIC, received(await mime({ from: customer(), subject: 'B', text: 'second', messageId: `<${randomUUID()}@customer.example>` }))));
    const retried = await aiReplyTo(b.body.messageId);
    expect(retried.deliveryStatus).toBe('sent');
    expect(ses.requests.filter((q) => q.action === 'SendRawEmail' && q.status === 400).length).toBeGreaterThanOrEqual(2);

    const tested = await h.call('POST', `/v1/channels/connections/${connectionId}/test`, undefined, ws.accessToken);
    expect(tested.body.lastTest).toMatchObject({ ok: true });
    const wrong = await h.call(
      'POST',
      '/v1/channels/connections',
      { kind: 'email', name: 'Wrong keys', config: { region: 'us-east-1', fromAddress: SUPPORT }, secrets: { accessKeyId: ACCOUNT.accessKeyId, secretAccessKey: 'not-the-secret-access-key' } },
      ws.accessToken,
    );
    const failedTest = await h.call('POST', `/v1/channels/connections/${wrong.body.id}/test`, undefined, ws.accessToken);
    expect(failedTest.body.lastTest).toMatchObject({ ok: false, message: expect.stringContaining('SignatureDoesNotMatch') });
  });
});

describe('connection state', () => {
  it('a disconnected connection acknowledges and drops mail; one without a topic accepts no SNS message', async () => {
    const make = (config: Record<string, unknown>) =>
      h.call('POST', '/v1/channels/connections', { kind: 'email', name: 'Other', config: { region: 'eu-west-1', fromAddress: SUPPORT, ...config }, secrets: ACCOUNT }, ws.accessToken);
    const off = await make({ snsTopicArn: TOPIC });
    await h.call('POST', `/v1/channels/connections/${off.body.id}/disconnect`, undefined, ws.accessToken);
    const messageId = `<${randomUUID()}@customer.example>`;
    const raw = await mime({ from: customer(), subject: 'Late', text: 'Anyone?', messageId });
    const dropped = await postSns(sns.notification(TOPIC, received(raw)), off.body.id);
    expect(dropped).toMatchObject({ status: 200, body: { dropped: true } });
    expect(await storedByProviderId(messageId)).toEqual([]);
    const noTopic = await make({});
    const refused = await postSns(sns.notification(TOPIC, received(raw)), noTopic.body.id);
    expect(refused.status).toBe(403);
    expect(refused.body.error.fields[0].field).toBe('TopicArn');
    // No inboundToken: raw MIME is refused whatever token is presented.
    const rawRefused = await h.call('POST', `/webhooks/ses/${noTopic.body.id}/raw`, raw.toString(), undefined, { authorization: 'Bearer anything-at-all-here', 'content-type': 'message/rfc822' });
    expect(rawRefused.status).toBe(403);
    expect(await storedByProviderId(messageId)).toEqual([]);
  });
});

describe('malformed input', () => {
  it('answers 4xx naming the field, never 500', async () => {
    const raw = await mime({ from: customer(), subject: 'x', text: 'x' });
    const { MessageId: _m, ...noMessageId } = sns.notification(TOPIC, received(raw));
    const cases: Array<[string, unknown, number, string]> = [
      ['not JSON', 'this is not json', 400, 'body'],
      ['a JSON array', '[1,2]', 400, 'body'],
      ['JSON null', 'null', 400, 'body'],
      ['missing MessageId', noMessageId, 400, 'MessageId'],
      ['unknown Type', { ...sns.notification(TOPIC, {}), Type: 'Surprise' }, 400, 'Type'],
      ['Message not JSON', sns.notification(TOPIC, 'plain words'), 400, 'Message'],
      ['not an SES notification', sns.notification(TOPIC, { hello: 'world' }), 400, 'Message.notificationType'],
      ['Received without content', sns.notification(TOPIC, { ...received(raw), content: undefined }), 400, 'Message.content'],
      ['bad base64 content', sns.notification(TOPIC, { ...received(raw, 'BASE64'), content: '%%%not base64%%%' }), 400, 'Message.content'],
      ['base64 of garbage', sns.notification(TOPIC, { ...received(raw, 'BASE64'), content: Buffer.from([0xff, 0, 1, 2, 3, 0xfe]).toString('base64') }), 400, 'from'],
      ['mail without From', sns.notification(TOPIC, received(Buffer.from('Subject: hi\r\n\r\nno sender'))), 400, 'from'],
      ['bounce without recipients', sns.notification(TOPIC, { notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [] }, mail: mailRef('x') }), 400, 'Message.bounce.bouncedRecipients'],
      ['bounce with no valid address', sns.notification(TOPIC, { notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'nobody' }] }, mail: mailRef('x') }), 400, 'Message.recipients'],
    ];
    for (const [name, body, status, field] of cases) {
      const r = await postSns(body);
      expect(r.status, name).toBe(status);
      expect(r.body.error.fields?.[0]?.field, name).toBe(field);
    }
    expect((await postSns(sns.notification(TOPIC, {}), randomUUID())).status).toBe(404);
    expect((await postSns(sns.notification(TOPIC, {}), 'not-a-uuid')).status).toBe(404);
    const emptyRaw = await postRaw('');
    expect(emptyRaw.status).toBe(400);
    expect(emptyRaw.body.error.fields[0].field).toBe('body');
  });
});
