import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { setPriority } from 'node:os';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ port, host });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

export async function waitForPort(port: number, label: string, child?: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${label} exited with code ${child.exitCode} before listening on ${port}`);
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${label} did not listen on ${port} within ${timeoutMs} ms`);
}

/** Servers started in their own process group: a parent that must force-stop us kills these too. */
export const detachedPids = new Set<number>();

/** Runs a TypeScript entry point in one Node process (no wrapper), so signals reach it directly. */
export function startTsProcess(label: string, entry: string, opts: { echo?: boolean; env?: NodeJS.ProcessEnv; background?: boolean; args?: string[] } = {}) {
  const proc = startProcess(label, process.execPath, ['--import', 'tsx', entry, ...(opts.args ?? [])], opts);
  // On one machine running everything, acknowledging customers' messages must not queue behind
  // replying to them: background work (the worker) yields the CPU to the request path.
  if (opts.background && proc.child.pid) setPriority(proc.child.pid, 10);
  return proc;
}

/** Starts a long-running tool; its output is kept for error reports and echoed only when `echo` is set. */
export function startProcess(
  label: string,
  cmd: string,
  args: string[],
  opts: { echo?: boolean; env?: NodeJS.ProcessEnv; detached?: boolean } = {},
) {
  // `detached` puts the child in its own process group, so a terminal's Ctrl-C reaches only us and
  // we stop it last, after the processes that depend on it.
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, detached: opts.detached });
  if (opts.detached && child.pid) {
    const pid = child.pid;
    detachedPids.add(pid);
    const killOnExit = () => child.exitCode === null && child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => {
      detachedPids.delete(pid);
      process.removeListener('exit', killOnExit);
    });
  }
  const tail: string[] = [];
  const keep = (buf: Buffer) => {
    const text = buf.toString();
    tail.push(text);
    if (tail.length > 50) tail.shift();
    if (opts.echo) process.stderr.write(text.split('\n').filter(Boolean).map((l) => `[${label}] ${l}\n`).join(''));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    child,
    output: () => tail.join(''),
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts a native server in its own process group and waits until it listens; on failure it is
 * killed and its last output is part of the error.
 */
export async function startServer(label: string, bin: string, args: string[], opts: { port: number; timeoutMs: number; echo?: boolean }) {
  const proc = startProcess(label, bin, args, { echo: opts.echo, detached: true });
  try {
    await waitForPort(opts.port, label, proc.child, opts.timeoutMs);
  } catch (err) {
    await proc.stop('SIGKILL');
    throw new Error(`${(err as Error).message}\n${proc.output()}`);
  }
  return proc;
}
