import { loadVoiceGatewayConfig } from './config.js';
import { createVoiceGateway, MEDIA_STREAM_PATH } from './server.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

const config = loadVoiceGatewayConfig();
const gateway = createVoiceGateway({ port: config.VOICE_GATEWAY_PORT, host: config.VOICE_GATEWAY_HOST });
const { host, port } = await gateway.listen();
console.log(`[voice-gateway] listening on http://${host}:${port} (media streams at ws://${host}:${port}${MEDIA_STREAM_PATH})`);

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    // A second Ctrl-C means "now", not "after the calls hang up".
    process.exit(1);
  }
  stopping = true;
  console.log(`[voice-gateway] ${signal}: closing ${gateway.activeCallCount()} active stream(s)`);
  const force = setTimeout(() => {
    console.error('[voice-gateway] shutdown timed out');
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  force.unref();
  await gateway.close();
  console.log('[voice-gateway] stopped');
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    shutdown(signal).catch((err: unknown) => {
      console.error('[voice-gateway] shutdown failed', err);
      process.exit(1);
    });
  });
}
