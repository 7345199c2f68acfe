/**
 * `npm start`. Runs the platform supervisor (scripts/platform.ts) in a process group of its own, so
 * a terminal's Ctrl-C reaches only this process: it then asks the supervisor to stop everything in
 * order (web and API, then the worker once its activities finish, then the servers). A second
 * Ctrl-C stops at once.
 */
import { spawn } from 'node:child_process';

const supervisor = spawn(process.execPath, ['--import', 'tsx', 'scripts/platform.ts'], {
  detached: true,
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});

// Servers the supervisor started in process groups of their own (Temporal, FerretDB).
let serverPids: number[] = [];
supervisor.on('message', (m: { type?: string; pids?: number[] }) => {
  if (m?.type === 'servers' && m.pids) serverPids = m.pids;
});

let askedAt = 0;
const onSignal = () => {
  if (!askedAt && supervisor.connected) {
    askedAt = Date.now();
    supervisor.send({ type: 'shutdown' });
    return;
  }
  // One Ctrl-C can arrive twice (the terminal signals the whole group, and npm or tsx relay it):
  // only a second press, a moment later, forces the stop.
  if (Date.now() - askedAt < 2000) return;
  console.log('[start] forcing stop');
  for (const pid of serverPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  if (supervisor.pid) process.kill(-supervisor.pid, 'SIGKILL');
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
supervisor.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
