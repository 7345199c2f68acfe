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

let asked = false;
const onSignal = () => {
  if (!asked && supervisor.connected) {
    asked = true;
    supervisor.send({ type: 'shutdown' });
    return;
  }
  console.log('[start] forcing stop');
  if (supervisor.pid) process.kill(-supervisor.pid, 'SIGKILL');
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
supervisor.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
