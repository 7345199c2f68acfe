import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { messages, outbox } from '../db/schema/index.js';
import { startWorkerProcess } from '../scripts/testing/worker-process.js';
import { startFakeTwilio, twilioSignature, type FakeTwilio } from '../scripts/testing/fake-twilio-server.js';
import { eventually, startHarness, type Harness } from '../scripts/testing/harness.js';

// Twilio's Messages API takes no idempotency key: what a worker killed mid-send can cost, measured.
const PUBLIC_URL = 'https://switchboard.example.com';
const ACCOUNT = `AC${'d'.repeat(32)}`;
const TOKEN = 'twilio-auth-token-dddddddddddd';
const BUSINESS = '+14155550199';

let h: Harness;
let fake: FakeTwilio;
let ws: Awaited<ReturnType<Harness['signup']>>;
let connectionId: string;
beforeAll(async () => {
  fake = await startFakeTwilio({ [ACCOUNT]: TOKEN });
  h = await startHarness({ worker: false, config: { PUBLIC_URL, TWILIO_API_URL: fake.url } });
  ws = await h.signup('crash-twilio');
  const r = await h.call('POST', '/v1/channels/connections', { kind: 'sms', name: 'SMS', config: { accountSid: ACCOUNT, from: BUSINESS }, secrets: { authToken: TOKEN } }, ws.accessToken);
  connectionId = r.body.id;
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

// A short lease, so the retry after the kill comes within the test's patience.
const startWorker = () => startWorkerProcess(h.taskQueue, { PUBLIC_URL, TWILIO_API_URL: fake.url, SEND_LEASE_SECONDS: '3' });

const signedPost = (path: string, params: Record<string, string>) =>
  h.call('POST', path, new URLSearchParams(params).toString(), undefined, {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': twilioSignature(TOKEN, `${PUBLIC_URL}${path}`, params),
  });

/** A customer's SMS; the worker answers it, and Twilio accepts the reply but answers only after the worker is killed. */
async function replyInterruptedByKill() {
  const from = `+3162${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const before = fake.messages.length;
  fake.holdAccepted(5_000);
  const worker = startWorker();
  const inbound = await signedPost(`/webhooks/twilio/${connectionId}`, {
    AccountSid: ACCOUNT,
    MessageSid: `SM${randomBytes(16).toString('hex')}`,
    From: from,
    To: BUSINESS,
    Body: `How many days do I have to return an item? ${randomUUID()}`,
    NumMedia: '0',
  });
  expect(inbound.status).toBe(200);
  const accepted = await eventually(async () => fake.messages.length > before && fake.messages.at(-1), 'Twilio accepted the reply', 60_000);
  await worker.stop('SIGKILL');
  fake.holdAccepted(0);
  const callback = new URL(accepted.form.StatusCallback!);
  const messageId = callback.searchParams.get('m')!;
  return { accepted, callback, messageId, sendsBefore: before };
}

async function settled(messageId: string) {
  const restarted = startWorker();
  try {
    return await eventually(async () => {
      const [row] = await h.db.select().from(outbox).where(eq(outbox.messageId, messageId));
      return row?.status === 'sent' && row;
    }, 'reply recorded as sent after the restart', 60_000);
  } finally {
    await restarted.stop('SIGTERM', 15_000);
  }
}

describe('a worker killed between Twilio accepting a reply and recording it', () => {
  it("sends no duplicate when Twilio's status callback arrives before the retry", async () => {
    const { accepted, callback, messageId, sendsBefore } = await replyInterruptedByKill();
    // Twilio tells us about the message it took, naming our message id in the callback URL.
    const cb = await signedPost(callback.pathname + callback.search, { AccountSid: ACCOUNT, MessageSid: accepted.sid, MessageStatus: 'sent' });
    expect(cb.status).toBe(200);
    const row = await settled(messageId);
    expect(row.providerMessageId).toBe(accepted.sid);
    expect(fake.messages.length - sendsBefore).toBe(1);
    const [msg] = await h.db.select().from(messages).where(and(eq(messages.id, messageId)));
    expect(msg).toMatchObject({ deliveryStatus: 'sent', providerMessageId: accepted.sid });
  }, 120_000);

  it('without a callback, sends exactly one duplicate: the documented, bounded risk', async () => {
    const { messageId, sendsBefore } = await replyInterruptedByKill();
    await settled(messageId);
    // One send per attempt that reached Twilio, never more: the outbox lease keeps attempts apart.
    expect(fake.messages.length - sendsBefore).toBe(2);
    expect(fake.messages.slice(-2).every((m) => new URL(m.form.StatusCallback!).searchParams.get('m') === messageId)).toBe(true);
  }, 120_000);
});
