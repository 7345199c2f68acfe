import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { createVoiceGateway, MEDIA_STREAM_PATH, type VoiceGateway } from './server.js';
import { CALL_SID, connectedFrame, FRAME_BYTES, mediaFrame, startFrame, stopFrame, STREAM_SID } from './twilio-fixtures.js';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

let gateway: VoiceGateway;
let baseUrl: string;
let wsUrl: string;

beforeAll(async () => {
  gateway = createVoiceGateway({ port: 0, host: '127.0.0.1', log: silent });
  const { port } = await gateway.listen();
  baseUrl = `http://127.0.0.1:${port}`;
  wsUrl = `ws://127.0.0.1:${port}${MEDIA_STREAM_PATH}`;
});

afterAll(async () => {
  await gateway?.close();
});

function connect(url = wsUrl): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
}

const send = (ws: WebSocket, frame: unknown) => ws.send(JSON.stringify(frame));

describe('voice gateway', () => {
  it('answers the health check', async () => {
    const res = await fetch(`${baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('accounts a full Twilio media stream and closes it after stop', async () => {
    const ws = await connect();
    const done = closed(ws);
    send(ws, connectedFrame());
    send(ws, startFrame());
    for (let chunk = 1; chunk <= 25; chunk++) send(ws, mediaFrame(chunk));

    await vi.waitFor(() => expect(gateway.getCall(CALL_SID)?.chunkCount).toBe(25));
    expect(gateway.activeCallCount()).toBe(1);
    expect(await (await fetch(`${baseUrl}/health`)).json()).toEqual({ status: 'ok', activeCalls: 1 });

    for (let chunk = 26; chunk <= 50; chunk++) send(ws, mediaFrame(chunk));
    send(ws, stopFrame());
    expect(await done).toMatchObject({ code: 1000 });

    expect(gateway.getCall(CALL_SID)).toMatchObject({
      callSid: CALL_SID,
      streamSid: STREAM_SID,
      state: 'stopped',
      chunkCount: 50,
      bytesReceived: 50 * FRAME_BYTES,
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      customParameters: { tenantId: 'tenant-1', from: '+15551234567' },
    });
    expect(gateway.activeCallCount()).toBe(0);
  });

  it('closes with 1008 on a frame that is not JSON', async () => {
    const ws = await connect();
    const done = closed(ws);
    ws.send('this is not json');
    expect(await done).toEqual({ code: 1008, reason: 'invalid JSON' });
  });

  it('closes with 1008 on media before start', async () => {
    const ws = await connect();
    const done = closed(ws);
    send(ws, connectedFrame());
    send(ws, mediaFrame(1));
    expect((await done).code).toBe(1008);
  });

  it('records a call whose socket drops without stop as disconnected', async () => {
    const callSid = 'CAdropped000000000000000000000000';
    const streamSid = 'MZdropped000000000000000000000000';
    const ws = await connect();
    send(ws, startFrame({ callSid, streamSid }));
    send(ws, mediaFrame(1, { streamSid }));
    await vi.waitFor(() => expect(gateway.getCall(callSid)?.chunkCount).toBe(1));
    ws.terminate();
    await vi.waitFor(() => expect(gateway.getCall(callSid)?.state).toBe('disconnected'));
    expect(gateway.activeCallCount()).toBe(0);
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    await expect(connect(wsUrl.replace(MEDIA_STREAM_PATH, '/elsewhere'))).rejects.toThrow(/404/);
  });

  it('tells connected streams it is going away (1001) on shutdown', async () => {
    const other = createVoiceGateway({ port: 0, host: '127.0.0.1', log: silent });
    const { port } = await other.listen();
    const ws = await connect(`ws://127.0.0.1:${port}${MEDIA_STREAM_PATH}`);
    const done = closed(ws);
    send(ws, startFrame());
    await vi.waitFor(() => expect(other.activeCallCount()).toBe(1));
    await other.close();
    expect((await done).code).toBe(1001);
    expect(other.getCall(CALL_SID)?.state).toBe('disconnected');
  });
});
