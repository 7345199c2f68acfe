import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { contacts, conversations, messages } from '../../db/schema/index.js';
import { eventually, startHarness, type Harness } from '../../scripts/testing/harness.js';
import { ChatSession, type ChatSnapshot } from './chat-session.js';
import { flakyNetwork, type FlakyNetwork } from './flaky-network.js';
import { SessionStore, type KeyValueStorage } from './session-store.js';

let h: Harness;
beforeAll(async () => {
  // Slow enough that the reply is written while a test holds the widget offline, and that typing shows.
  h = await startHarness({ aiReplyDelayMs: 1_500 });
});
afterAll(async () => h?.close());

type Workspace = Awaited<ReturnType<Harness['signup']>>;
type StoredMessage = { id: string; authorRole: string; content: string; deliveryStatus: string };

const sessions: ChatSession[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.stop()));

function memoryStorage(): KeyValueStorage {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

/** The widget's session logic as a page would run it, on the given network and storage. */
function openWidget(ws: Workspace, net: FlakyNetwork, opts: { storage?: KeyValueStorage; typingTimeoutMs?: number } = {}) {
  const storage = opts.storage ?? memoryStorage();
  const session = new ChatSession({
    config: { widgetKey: ws.tenant.widgetKey, apiUrl: 'http://widget.test' },
    store: new SessionStore(ws.tenant.widgetKey, storage),
    fetch: net.fetch,
    retryBaseMs: 50,
    retryMaxMs: 200,
    typingTimeoutMs: opts.typingTimeoutMs,
  });
  sessions.push(session);
  let last: ChatSnapshot = session.snapshot();
  session.subscribe((s) => (last = s));
  const now = () => last;
  const item = (content: string) => now().items.find((i) => i.content === content);
  return { session, storage, now, item, store: () => new SessionStore(ws.tenant.widgetKey, storage).get() };
}

const until = <T>(check: () => T | false | undefined | null, what: string, timeoutMs?: number) => eventually(async () => check() ?? undefined, what, timeoutMs);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ids = (s: ChatSnapshot) => s.items.map((i) => i.serverId);
const customer = (list: StoredMessage[]) => list.filter((m) => m.authorRole === 'customer');

/** What the API stored: the visitor's history and the agents' view of the same conversation. */
async function stored(ws: Workspace, storage: KeyValueStorage) {
  const token = new SessionStore(ws.tenant.widgetKey, storage).get().sessionToken ?? undefined;
  const visitor = await h.call('GET', '/v1/widget/messages', undefined, token);
  expect(visitor.status).toBe(200);
  const conversationId = visitor.body.conversationId as string;
  const agent = await h.call('GET', `/v1/conversations/${conversationId}/messages`, undefined, ws.accessToken);
  expect(agent.status).toBe(200);
  return { conversationId, visitor: visitor.body.messages as StoredMessage[], agent: agent.body.messages as StoredMessage[] };
}

const aiMessages = (ws: Workspace) => h.db.select().from(messages).where(and(eq(messages.tenantId, ws.tenant.id), eq(messages.authorRole, 'ai')));

/** Conversation owners the widget's event streams carried, in order. */
const ownersStreamed = (net: FlakyNetwork) =>
  net.streams
    .flatMap((_, i) => net.frames(i))
    .map((f) => JSON.parse(f.data) as { message?: unknown; conversation?: { owner?: string } })
    .filter((p) => !p.message && p.conversation)
    .map((p) => p.conversation?.owner);

describe('the widget against the real API', () => {
  it('resumes the stream after the last event id it saw and shows the reply written while offline, every message once', async () => {
    const ws = await h.signup('widget-resume');
    const net = flakyNetwork(h.app);
    const { session, storage, now, item } = openWidget(ws, net);
    await session.loadSettings();
    await session.start();
    await until(() => now().live, 'the live stream');

    session.send('Do you have the Ridgeline shell in medium?');
    const m1 = await until(() => item('Do you have the Ridgeline shell in medium?')?.serverId, 'the acknowledgement');
    await until(() => now().typing, 'typing while the AI works');
    const r1 = await until(() => now().items.find((i) => i.authorRole === 'ai')?.serverId, 'the first reply');
    session.send('And in green?');
    const m2 = await until(() => item('And in green?')?.serverId, 'the second acknowledgement');
    // The live event of the visitor's own message moves the point to resume from past the first reply.
    await until(() => net.streamed.includes(`"id":"${m2}"`), 'the live event of the second message');
    net.disconnect();
    const lastSeen = Math.max(...net.streams.flatMap((_, i) => net.frames(i)).map((f) => Number(f.id)));
    await until(() => !now().live, 'the widget to notice');

    // The AI answers while the visitor is offline.
    const r2 = await eventually(async () => (await aiMessages(ws)).find((m) => m.id !== r1 && m.deliveryStatus === 'sent'), 'the AI reply to be sent');
    expect(now().items.some((i) => i.serverId === r2.id)).toBe(false);

    const streamsBefore = net.streams.length;
    const eventsBefore = net.count('GET /v1/widget/events');
    const historyBefore = net.count('GET /v1/widget/messages');
    net.offline = false;
    session.online();
    await until(() => now().items.some((i) => i.serverId === r2.id), 'the missed reply');
    await sleep(300);

    // One reconnect, resuming after the last event id seen; the reply came from its replay, not a history refetch.
    expect(net.requests.filter((r) => r.startsWith('GET /v1/widget/events')).slice(eventsBefore)).toEqual([`GET /v1/widget/events?since=${lastSeen}`]);
    expect(net.count('GET /v1/widget/messages')).toBe(historyBefore);
    // The replay overlaps events already on screen (commits can land out of order); each is still shown once.
    const replayed = net.frames(streamsBefore).map((f) => (JSON.parse(f.data) as { message?: { id: string } }).message?.id);
    expect(replayed).toContain(m2);
    expect(ids(now())).toEqual([m1, r1, m2, r2.id]);
    expect(now().items.map((i) => i.authorRole)).toEqual(['customer', 'ai', 'customer', 'ai']);
    expect(now().typing).toBe(false);
    expect(now().live).toBe(true);

    const s = await stored(ws, storage);
    expect(s.visitor.map((m) => m.id)).toEqual([m1, r1, m2, r2.id]);
    expect(s.agent.map((m) => m.id)).toEqual([m1, r1, m2, r2.id]);
  });

  it('keeps a message written offline queued, and stores a message whose response was lost once, under one client id', async () => {
    const ws = await h.signup('widget-outbox');
    const net = flakyNetwork(h.app);
    const { session, storage, now, item, store } = openWidget(ws, net);
    await session.start();
    await until(() => now().live && net.answered.includes('GET /v1/widget/messages'), 'the live stream and the history');
    net.disconnect();
    session.send('Sent from a tunnel');
    await until(() => item('Sent from a tunnel')?.status === 'queued', 'the message to wait for the network');
    expect(net.count('POST /v1/widget/messages')).toBe(0);
    expect(store().outbox.map((e) => e.content)).toEqual(['Sent from a tunnel']);

    net.offline = false;
    session.online();
    const first = await until(() => item('Sent from a tunnel')?.serverId, 'the queued message to be acknowledged');
    // The API stores the next message, then its answer is lost: the retry reuses the client id.
    net.loseNextResponse = 'POST /v1/widget/messages';
    session.send('Second try');
    const second = await until(() => item('Second try')?.serverId, 'the second message to be acknowledged');

    const sends = net.posts.filter((p) => p.path === '/v1/widget/messages').map((p) => p.body);
    expect(sends.map((b) => b.content)).toEqual(['Sent from a tunnel', 'Second try', 'Second try']);
    expect(sends[1].clientMessageId).toBe(sends[2].clientMessageId);
    expect(sends[0].clientMessageId).not.toBe(sends[1].clientMessageId);
    expect(now().items.filter((i) => i.authorRole === 'customer').map((i) => i.serverId)).toEqual([first, second]);
    expect(new Set(ids(now())).size).toBe(now().items.length);
    expect(store().outbox).toEqual([]);

    // Stored once each, as the visitor and the agents see it.
    const s = await stored(ws, storage);
    expect(customer(s.visitor).map((m) => [m.id, m.content])).toEqual([[first, 'Sent from a tunnel'], [second, 'Second try']]);
    expect(customer(s.agent).map((m) => [m.id, m.content])).toEqual([[first, 'Sent from a tunnel'], [second, 'Second try']]);
  });

  it('restores the session, the history and an unsent message after a page reload', async () => {
    const ws = await h.signup('widget-reload');
    const net = flakyNetwork(h.app);
    const first = openWidget(ws, net);
    await first.session.start();
    await until(() => first.now().live, 'the live stream');
    first.session.send('Before reload');
    const sent = await until(() => first.item('Before reload')?.serverId, 'the first message');
    const reply = await until(() => first.now().items.find((i) => i.authorRole === 'ai'), 'the AI reply');
    net.disconnect();
    first.session.send('Typed offline, then the tab was reloaded');
    const queued = await until(() => first.item('Typed offline, then the tab was reloaded')?.status === 'queued' && first.item('Typed offline, then the tab was reloaded'), 'the queued message');
    first.session.stop();
    const tokenBefore = first.store().sessionToken;

    net.offline = false;
    const second = openWidget(ws, net, { storage: first.storage });
    expect(second.session.hasSession).toBe(true);
    expect(second.now().items.map((i) => i.clientMessageId)).toEqual([queued.clientMessageId]);
    await second.session.start();
    const resent = await until(() => second.item('Typed offline, then the tab was reloaded')?.serverId, 'the resent message');
    await until(() => second.item('Before reload'), 'the history');
    expect(second.now().items.slice(0, 3).map((i) => [i.serverId, i.content])).toEqual([
      [sent, 'Before reload'],
      [reply.serverId, reply.content],
      [resent, 'Typed offline, then the tab was reloaded'],
    ]);

    // Same visitor and session: one session request in all, one contact, one conversation.
    expect(net.count('POST /v1/widget/sessions')).toBe(1);
    expect(second.store().sessionToken).toBe(tokenBefore);
    expect(await h.db.select().from(contacts).where(eq(contacts.tenantId, ws.tenant.id))).toHaveLength(1);
    expect(await h.db.select().from(conversations).where(eq(conversations.tenantId, ws.tenant.id))).toHaveLength(1);
    expect(net.posts.filter((p) => p.body.clientMessageId === queued.clientMessageId)).toHaveLength(1);
    const s = await stored(ws, first.storage);
    expect(customer(s.agent).map((m) => m.content)).toEqual(['Before reload', 'Typed offline, then the tab was reloaded']);
    expect(customer(s.visitor).map((m) => m.id)).toEqual([sent, resent]);
  });

  it('shows typing from the acknowledged message until the AI replies, and never while a human owns the chat', async () => {
    const typingTimeoutMs = 5_000;
    const ws = await h.signup('widget-typing');
    const net = flakyNetwork(h.app);
    const { session, storage, now, item } = openWidget(ws, net, { typingTimeoutMs });
    await session.start();
    await until(() => now().live, 'the live stream');
    expect(now().typing).toBe(false);
    session.send('Do you ship to Norway?');
    await until(() => now().typing && item('Do you ship to Norway?')?.serverId, 'typing after the acknowledgement');
    await until(() => !now().typing, 'typing to stop');
    // The reply ended it, not the timeout.
    expect(now().items.map((i) => i.authorRole)).toEqual(['customer', 'ai']);

    const { conversationId } = await stored(ws, storage);
    const taken = await h.call('POST', `/v1/conversations/${conversationId}/take-over`, {}, ws.accessToken);
    expect(taken.status).toBe(200);
    await until(() => ownersStreamed(net).at(-1) === 'human', 'the takeover to reach the widget');
    let typedWhileHuman = false;
    const unsubscribe = session.subscribe((s) => (typedWhileHuman ||= s.typing));
    session.send('Thanks, and returns?');
    await until(() => item('Thanks, and returns?')?.serverId, 'the acknowledgement');
    await sleep(500);
    unsubscribe();
    expect(typedWhileHuman).toBe(false);

    const back = await h.call('POST', `/v1/conversations/${conversationId}/hand-back`, {}, ws.accessToken);
    expect(back.status).toBe(200);
    await until(() => now().typing, 'typing once the AI owns the chat again');
    // The AI does not answer what was said while a human owned the chat: the indicator gives up after the timeout.
    await until(() => !now().typing, 'the timeout', typingTimeoutMs + 2_000);
    expect(now().items.map((i) => i.authorRole)).toEqual(['customer', 'ai', 'customer']);
    expect(await aiMessages(ws)).toHaveLength(1);
    const s = await stored(ws, storage);
    expect(s.agent.map((m) => m.authorRole)).toEqual(['customer', 'ai', 'customer']);
  });

  it('asks for name and email first when the workspace wants them, and gives them to the contact', async () => {
    const ws = await h.signup('widget-prechat');
    const saved = await h.call('PATCH', '/v1/workspace/widget', { color: '#0f766e', greeting: 'Welcome to Northwind!', preChatForm: true }, ws.accessToken);
    expect(saved.status).toBe(200);
    const net = flakyNetwork(h.app);
    const { session, now, item } = openWidget(ws, net);
    await session.loadSettings();
    expect(now().settings).toEqual({ color: '#0f766e', greeting: 'Welcome to Northwind!', preChatForm: true });
    await session.start();
    expect(now().phase).toBe('prechat');
    expect(net.count('POST /v1/widget/sessions')).toBe(0);

    const errors = await session.submitPrechat({ name: ' ', email: 'jane@' });
    expect(errors.map((e) => e.field)).toEqual(['name', 'email']);
    expect(net.count('POST /v1/widget/sessions')).toBe(0);

    expect(await session.submitPrechat({ name: 'Jane Doe', email: 'jane@example.com' })).toEqual([]);
    expect(now().phase).toBe('ready');
    expect(net.posts.filter((p) => p.path === '/v1/widget/sessions').map((p) => p.body)).toEqual([
      expect.objectContaining({ widgetKey: ws.tenant.widgetKey, name: 'Jane Doe', email: 'jane@example.com' }),
    ]);
    const people = await h.db.select().from(contacts).where(eq(contacts.tenantId, ws.tenant.id));
    expect(people.map((c) => [c.name, c.email])).toEqual([['Jane Doe', 'jane@example.com']]);

    // Agents see the conversation under the name the visitor gave.
    session.send('Hello!');
    await until(() => item('Hello!')?.serverId, 'the acknowledgement');
    const list = await h.call('GET', '/v1/conversations', undefined, ws.accessToken);
    expect(list.body.conversations.map((c: { contact: { name: string } }) => c.contact.name)).toEqual(['Jane Doe']);
  });
});
