import { afterEach, describe, expect, it } from 'vitest';
import { ChatSession, type ChatSnapshot } from './chat-session.js';
import { FakeWidgetServer } from './fake-widget-server.js';
import { SessionStore, type KeyValueStorage } from './session-store.js';

const KEY = 'wk_test';
const sessions: ChatSession[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.stop()));

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

function open(server: FakeWidgetServer, storage = memoryStorage(), typingTimeoutMs?: number) {
  const session = new ChatSession({ config: { widgetKey: KEY, apiUrl: 'http://api.test' }, store: new SessionStore(KEY, storage), fetch: server.fetch, retryBaseMs: 5, retryMaxMs: 20, typingTimeoutMs });
  sessions.push(session);
  let last: ChatSnapshot = session.snapshot();
  session.subscribe((s) => (last = s));
  return { session, storage, now: () => last };
}

async function until<T>(check: () => T | false | undefined, what: string, timeoutMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const ids = (s: ChatSnapshot) => s.items.map((i) => i.serverId ?? `pending:${i.status}`);

describe('ChatSession', () => {
  it('resumes the stream after the last event id and shows a reply missed while offline exactly once', async () => {
    const server = new FakeWidgetServer();
    const { session, now } = open(server);
    await session.loadSettings();
    await session.start();
    await until(() => now().live && server.openStreams === 1, 'the stream');
    session.send('Where is my order?');
    await until(() => now().items[0]?.serverId, 'the ack');
    server.reply('It ships today.');
    await until(() => now().items.length === 2, 'first reply');

    server.disconnect();
    await until(() => !now().live, 'the stream to drop');
    const missed = server.reply('Tracking number: 1Z999');
    server.offline = false;
    session.online();

    await until(() => now().items.some((i) => i.serverId === missed.id), 'the missed reply');
    // The reconnect asked to resume after the last id it saw (not from scratch, not from 0).
    expect(server.streamRequests).toEqual([null, 2]);
    // The replay overlapped events already shown; each message is still on screen once.
    expect(ids(now())).toEqual(['m1', 'm2', missed.id]);
    expect(now().items.map((i) => i.authorRole)).toEqual(['customer', 'ai', 'ai']);
  });

  it('keeps a message written offline queued and sends it once, with one client id, when the network returns', async () => {
    const server = new FakeWidgetServer();
    const { session, now } = open(server);
    await session.start();
    await until(() => now().live, 'the stream');
    server.disconnect();
    session.send('Sent from a tunnel');
    await until(() => now().items[0]?.status === 'queued', 'the message to wait for the network');
    expect(server.sends).toHaveLength(0);

    server.offline = false;
    session.online();
    await until(() => now().items[0]?.serverId, 'the message to be acknowledged');
    // The server stored it, then the answer was lost: the retry reuses the id and the server dedupes.
    server.loseNextSendResponse = true;
    session.send('Second try');
    await until(() => now().items.length === 2 && now().items[1].serverId, 'the second message');
    expect(server.sends.map((s) => s.content)).toEqual(['Sent from a tunnel', 'Second try', 'Second try']);
    expect(server.sends[1].clientMessageId).toBe(server.sends[2].clientMessageId);
    expect(server.messages.filter((m) => m.direction === 'inbound')).toHaveLength(2);
    expect(ids(now())).toEqual(['m1', 'm2']);
  });

  it('restores the session, the history and unsent messages after a page reload', async () => {
    const server = new FakeWidgetServer();
    const first = open(server);
    await first.session.start();
    await until(() => first.now().live, 'the stream');
    first.session.send('Before reload');
    await until(() => first.now().items[0]?.serverId, 'the first message');
    server.reply('Hi!');
    server.disconnect();
    first.session.send('Typed offline, then the tab was reloaded');
    await until(() => first.now().items[2]?.status === 'queued', 'the queued message');
    first.session.stop();
    const queuedId = first.now().items[2].clientMessageId;

    server.offline = false;
    const second = open(server, first.storage);
    expect(second.session.hasSession).toBe(true);
    expect(second.now().items.map((i) => i.clientMessageId)).toEqual([queuedId]);
    await second.session.start();
    await until(() => second.now().items.length === 3 && second.now().items.every((i) => i.serverId), 'history and the resent message');
    expect(second.now().items.map((i) => i.content)).toEqual(['Before reload', 'Hi!', 'Typed offline, then the tab was reloaded']);
    expect(server.sessions).toHaveLength(1);
    expect(server.sends.filter((s) => s.clientMessageId === queuedId)).toHaveLength(1);
  });

  it('shows typing from the acknowledged message until the AI replies, and never while a human owns the chat', async () => {
    const server = new FakeWidgetServer();
    const { session, now } = open(server, undefined, 300);
    await session.start();
    await until(() => now().live, 'the stream');
    expect(now().typing).toBe(false);
    session.send('Do you ship to Norway?');
    await until(() => now().typing, 'typing after the ack');
    server.reply('Yes, in 3-5 days.');
    await until(() => !now().typing, 'typing to stop at the reply');

    server.setOwner('human');
    session.send('Thanks, and returns?');
    await until(() => now().items.length === 3 && now().items[2].serverId, 'the ack');
    await new Promise((r) => setTimeout(r, 30));
    expect(now().typing).toBe(false);

    server.setOwner('ai');
    await until(() => now().typing, 'typing once the AI owns the chat again');
    // No reply ever comes: the indicator gives up after the timeout instead of spinning forever.
    await until(() => !now().typing, 'the timeout', 1_000);
  });

  it('asks for name and email first when the workspace wants them, and sends them with the session', async () => {
    const server = new FakeWidgetServer();
    server.settings = { color: '#0f766e', greeting: 'Welcome to Northwind!', preChatForm: true };
    const { session, now } = open(server);
    await session.loadSettings();
    expect(now().settings.color).toBe('#0f766e');
    await session.start();
    expect(now().phase).toBe('prechat');
    expect(server.sessions).toHaveLength(0);

    const errors = await session.submitPrechat({ name: ' ', email: 'jane@' });
    expect(errors.map((e) => e.field)).toEqual(['name', 'email']);
    expect(server.sessions).toHaveLength(0);

    expect(await session.submitPrechat({ name: 'Jane Doe', email: 'jane@example.com' })).toEqual([]);
    expect(now().phase).toBe('ready');
    expect(server.sessions).toEqual([expect.objectContaining({ widgetKey: KEY, name: 'Jane Doe', email: 'jane@example.com' })]);
  });
});
