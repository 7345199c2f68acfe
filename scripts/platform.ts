/**
 * The platform supervisor that `npm start` runs in its own process group: the whole platform on one machine. Each dependency comes from its *_URL/*_ADDRESS
 * setting when given, and is an embedded server otherwise; then the worker, API, web app and voice
 * gateway start together. Ctrl-C stops them in order: the worker drains its in-flight activities first.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connectDb } from '../db/client.js';
import { seedDemo } from '../db/seed-demo.js';
import { buildWidget } from '../widget/build.js';
import { seedDemoConversations } from './stack/demo-conversations.js';
import { startEmbeddedStack } from './stack/embedded-stack.js';
import { stackEnv } from './stack/platform-processes.js';
import { detachedPids, startProcess, startTsProcess, waitForPort } from './stack/process-utils.js';
import { writeWorkflowBundle } from './stack/workflow-bundle.js';

const env = process.env;
const DATA_DIR = resolve(env.SWITCHBOARD_DATA_DIR ?? '.data');
const ports = {
  temporal: Number(env.TEMPORAL_PORT ?? 7233),
  temporalUi: Number(env.TEMPORAL_UI_PORT ?? 8233),
  postgres: Number(env.POSTGRES_PORT ?? 5432),
  mongo: Number(env.MONGO_PORT ?? 27017),
  api: Number(env.API_PORT ?? 8000),
  web: Number(env.WEB_PORT ?? 3000),
  voice: Number(env.VOICE_GATEWAY_PORT ?? 8080),
};

function localSecrets(): { jwtSecret: string; sessionSecret: string; credentialsKey: string } {
  const file = resolve(DATA_DIR, 'secrets.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<ReturnType<typeof localSecrets>>) : {};
  // Generated once per machine so logins and stored credentials survive restarts; production passes its own.
  const secrets = {
    jwtSecret: stored.jwtSecret ?? randomBytes(32).toString('hex'),
    sessionSecret: stored.sessionSecret ?? randomBytes(32).toString('hex'),
    credentialsKey: stored.credentialsKey ?? randomBytes(32).toString('base64'),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

mkdirSync(DATA_DIR, { recursive: true });
console.log('[start] bringing up Temporal, PostgreSQL and MongoDB…');
// The API serves the built widget; building it takes no server, so it runs alongside.
// The worker loads its workflow code bundled beforehand, in a process of its own (see temporal/bundle-main.ts).
const [stack, , workflowBundlePath] = await Promise.all([
  startEmbeddedStack({ dataDir: DATA_DIR, persistent: true, ports, echo: false }),
  buildWidget(),
  writeWorkflowBundle(join(DATA_DIR, 'workflows.bundle.js')),
]);
// Tell `npm start` which servers live outside our process group, so a forced stop leaves none behind.
process.send?.({ type: 'servers', pids: [...detachedPids] });
const secrets = localSecrets();

const seedDb = connectDb(stack.databaseUrl, { max: 1 });
const demo = await seedDemo(seedDb.db);
await seedDb.close();

const publicApiUrl = env.PUBLIC_URL ?? `http://127.0.0.1:${ports.api}`;
const childEnv: NodeJS.ProcessEnv = {
  ...env,
  ...stackEnv(stack),
  JWT_SECRET: env.JWT_SECRET ?? secrets.jwtSecret,
  SESSION_SECRET: env.SESSION_SECRET ?? secrets.sessionSecret,
  CREDENTIALS_MASTER_KEY: env.CREDENTIALS_MASTER_KEY ?? secrets.credentialsKey,
  // A local install talks to local things (Ollama, the demo shop); a deployment sets this itself.
  ALLOW_PRIVATE_NETWORK_URLS: env.ALLOW_PRIVATE_NETWORK_URLS ?? 'true',
  API_PORT: String(ports.api),
  PUBLIC_URL: publicApiUrl,
  API_URL: env.API_URL ?? publicApiUrl,
  PUBLIC_API_URL: env.PUBLIC_API_URL ?? publicApiUrl,
  VOICE_GATEWAY_PORT: String(ports.voice),
  DEMO_WIDGET_KEY: demo.widgetKey,
  ...(stack.temporalUiUrl && { TEMPORAL_UI_URL: env.TEMPORAL_UI_URL ?? stack.temporalUiUrl }),
  CORS_ORIGINS: env.CORS_ORIGINS ?? `http://localhost:${ports.web},http://127.0.0.1:${ports.web}`,
};

const services = [
  { name: 'worker', proc: startTsProcess('worker', 'temporal/worker-main.ts', { echo: true, env: { ...childEnv, WORKFLOW_BUNDLE_PATH: env.WORKFLOW_BUNDLE_PATH ?? workflowBundlePath }, background: true }) },
  { name: 'api', proc: startTsProcess('api', 'api/main.ts', { echo: true, env: childEnv }), port: ports.api },
  {
    name: 'web',
    proc: startProcess('web', resolve('node_modules/.bin/remix'), ['vite:dev', '--config', 'web/vite.config.ts', '--host', '127.0.0.1', '--port', String(ports.web), '--strictPort'], { echo: true, env: childEnv }),
    port: ports.web,
  },
  { name: 'voice-gateway', proc: startTsProcess('voice', 'voice-gateway/main.ts', { echo: true, env: childEnv }), port: ports.voice },
];

let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping: the worker finishes in-flight activities first…');
  await Promise.all(services.filter((s) => s.name !== 'worker').map((s) => s.proc.stop('SIGTERM', 10_000)));
  await services.find((s) => s.name === 'worker')!.proc.stop('SIGTERM', 40_000);
  await stack.stop();
  console.log('[start] stopped');
  process.exit(code);
}
// The foreground `npm start` asks for shutdown over IPC; a lost parent means shutdown too.
process.on('message', (m: { type?: string }) => m?.type === 'shutdown' && void stopAll(0));
process.on('disconnect', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
for (const s of services) {
  s.proc.child.once('exit', (code) => {
    if (!stopping) {
      console.error(`[start] ${s.name} exited (${code}); stopping everything`);
      void stopAll(1);
    }
  });
}

try {
  await Promise.all(services.filter((s) => s.port).map((s) => waitForPort(s.port!, s.name, s.proc.child, 120_000)));
} catch (err) {
  console.error('[start]', (err as Error).message);
  await stopAll(1);
}
await seedDemoConversations(publicApiUrl, demo).catch((err: Error) => console.warn(`[start] demo conversations not added: ${err.message}`));

console.log(`
Switchboard is running.

  Web app          http://127.0.0.1:${ports.web}
  API              ${publicApiUrl}
  API docs         ${publicApiUrl}/docs   (OpenAPI: ${publicApiUrl}/openapi.json)
  Widget demo      ${publicApiUrl}/widget/demo
  Temporal UI      ${stack.temporalUiUrl ?? '(external Temporal: ' + stack.temporalAddress + ')'}
  Voice gateway    ws://127.0.0.1:${ports.voice}/media-stream

  Demo login       ${demo.email} / ${demo.password}
  Demo widget key  ${demo.widgetKey}

Press Ctrl-C to stop.`);
