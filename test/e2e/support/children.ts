import type { ChildProcess } from 'node:child_process';

/**
 * Every process the e2e harness starts, so none outlives the test run: stopped in afterAll, and
 * SIGKILLed from an exit handler should the test process end without getting there.
 */

const live = new Set<ChildProcess>();
let hooked = false;

function killLive(): void {
  for (const child of live) if (isRunning(child)) child.kill('SIGKILL');
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

export function track(child: ChildProcess): ChildProcess {
  if (!hooked) {
    hooked = true;
    process.once('exit', killLive);
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Resolves once the child has exited (at once when it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Sends `signal`, then SIGKILL when the child is still there after `graceMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (!isRunning(child)) return;
  const done = exited(child);
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  if ((await Promise.race([done.then(() => 'exited' as const), timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await done;
  }
  clearTimeout(timer);
}

/** Every tracked child still running, stopped at once (used by afterAll as a safety net). */
export async function killAllChildren(): Promise<void> {
  const running = [...live].filter(isRunning);
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(running.map(exited));
}
