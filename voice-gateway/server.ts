import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { MediaStreamSession, parseMediaStreamMessage, ProtocolError, type CallStats } from './media-stream.js';

export const MEDIA_STREAM_PATH = '/media-stream';

type Log = Pick<Console, 'info' | 'warn' | 'error'>;

export interface VoiceGatewayOptions {
  port: number;
  host?: string;
  log?: Log;
  /** How many finished calls stay queryable; bounded so a long-running gateway does not grow forever. */
  completedCallLimit?: number;
  /** Ping interval; a socket that misses a whole interval is dropped (half-open TCP after network loss). */
  heartbeatMs?: number;
}

export interface VoiceGateway {
  readonly server: Server;
  listen(): Promise<{ host: string; port: number }>;
  close(): Promise<void>;
  getCall(callSid: string): Readonly<CallStats> | undefined;
  activeCallCount(): number;
}

// Twilio media frames are ~300 bytes (20 ms of 8 kHz μ-law, base64); anything near this is not Twilio.
const MAX_FRAME_BYTES = 64 * 1024;
const CLOSE_GRACE_MS = 5_000;

class CallRegistry {
  private readonly active = new Map<string, Readonly<CallStats>>();
  private readonly finished = new Map<string, Readonly<CallStats>>();

  constructor(private readonly finishedLimit: number) {}

  started(call: Readonly<CallStats>): void {
    this.active.set(call.callSid, call);
  }

  ended(call: Readonly<CallStats>): void {
    this.active.delete(call.callSid);
    this.finished.delete(call.callSid);
    this.finished.set(call.callSid, call);
    // Maps iterate in insertion order, so the first key is the oldest finished call.
    while (this.finished.size > this.finishedLimit) this.finished.delete(this.finished.keys().next().value!);
  }

  get(callSid: string): Readonly<CallStats> | undefined {
    return this.active.get(callSid) ?? this.finished.get(callSid);
  }

  get activeCount(): number {
    return this.active.size;
  }
}

/** ws 8 hands every frame over as a Buffer (or fragments/ArrayBuffer, depending on binaryType). */
function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

// WebSocket close reasons are capped at 123 bytes by the protocol.
const closeReason = (text: string) => Buffer.from(text).subarray(0, 123).toString('utf8');

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/**
 * HTTP + WebSocket front door for phone calls: Twilio's <Stream> connects to /media-stream and
 * pushes the caller's audio. For now the gateway validates and accounts for the stream only;
 * transcription and the AI voice loop will hang off MediaStreamSession later.
 */
export function createVoiceGateway(opts: VoiceGatewayOptions): VoiceGateway {
  const log = opts.log ?? console;
  const calls = new CallRegistry(opts.completedCallLimit ?? 1_000);
  const alive = new WeakMap<WebSocket, boolean>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/health') {
      sendJson(res, 200, { status: 'ok', activeCalls: calls.activeCount });
      return;
    }
    sendJson(res, 404, { error: { code: 'not_found', message: `${req.method} ${path} not found`, requestId: randomUUID() } });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== MEDIA_STREAM_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const session = new MediaStreamSession();
    const peer = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));

    const reject = (reason: string) => {
      log.warn(`[voice-gateway] closing ${peer} (1008): ${reason}`);
      ws.close(1008, closeReason(reason));
    };

    ws.on('message', (data: RawData) => {
      // Frames can still arrive between our close frame and the peer's answer; ignore them.
      if (ws.readyState !== WebSocket.OPEN) return;
      const parsed = parseMediaStreamMessage(frameText(data));
      if (!parsed.ok) {
        if (parsed.kind === 'unknown-event') log.warn(`[voice-gateway] ignoring unknown event "${parsed.event}" from ${peer}`);
        else reject(parsed.kind === 'invalid-json' ? 'invalid JSON' : `invalid message: ${parsed.error}`);
        return;
      }
      const { message } = parsed;
      try {
        const call = session.handle(message);
        if (message.event === 'start' && call) {
          calls.started(call);
          log.info(`[voice-gateway] call ${call.callSid} started (stream ${call.streamSid}, ${call.mediaFormat.encoding}/${call.mediaFormat.sampleRate})`);
        } else if (message.event === 'stop' && call) {
          calls.ended(call);
          log.info(`[voice-gateway] call ${call.callSid} stopped: ${call.chunkCount} chunks, ${call.bytesReceived} bytes`);
          ws.close(1000, 'stream stopped');
        }
      } catch (err) {
        if (err instanceof ProtocolError) reject(err.message);
        else throw err;
      }
    });

    ws.on('close', () => {
      const call = session.disconnect();
      if (call?.state === 'disconnected') {
        calls.ended(call);
        log.warn(`[voice-gateway] call ${call.callSid} dropped without stop after ${call.chunkCount} chunks`);
      }
    });

    ws.on('error', (err: Error) => log.warn(`[voice-gateway] socket error from ${peer}: ${err.message}`));
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, opts.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
          server.off('error', reject);
          const addr = server.address() as AddressInfo;
          resolve({ host: addr.address, port: addr.port });
        });
      }),
    close: async () => {
      clearInterval(heartbeat);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // 1001 "going away" tells Twilio the gateway is restarting rather than that the call failed.
      const sockets = [...wss.clients];
      await Promise.all(
        sockets.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              ws.close(1001, 'server shutting down');
            }),
        ),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closed;
    },
    getCall: (callSid) => calls.get(callSid),
    activeCallCount: () => calls.activeCount,
  };
}
