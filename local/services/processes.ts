import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** True when a process with this pid exists and is not a zombie waiting to be reaped. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) is all we have
  }
}

/**
 * Something that tells this process apart from a later one that reuses its pid: the start time
 * (clock ticks since boot on Linux, `ps -o lstart` elsewhere). Undefined when the pid is gone.
 */
export function processIdentity(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, starttime is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    try {
      const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim();
      return started || undefined;
    } catch {
      return undefined;
    }
  }
}

/** True when `pid` is still the very process that was recorded with `identity`. */
export function isSameProcess(pid: number, identity: string | undefined): boolean {
  return identity !== undefined && isProcessAlive(pid) && processIdentity(pid) === identity;
}

/** Waits until the process is gone; false if it is still there after `timeoutMs`. */
export async function waitForProcessExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Sends a signal to a process group (children started with `detached: true`), else to the pid. */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Calls `onGone` once when the process that started us is gone: its pid no longer answers, or we
 * were re-parented (the kernel hands orphans to init or a subreaper). Node has no PR_SET_PDEATHSIG,
 * so a short poll is the portable way for a child to never outlive its parent.
 */
export function watchParent(parentPid: number, onGone: () => void, intervalMs = 250): () => void {
  let fired = false;
  const timer = setInterval(() => {
    if (fired) return;
    if (process.ppid !== parentPid || !isProcessAlive(parentPid)) {
      fired = true;
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The parent pid of `pid`, or undefined when it cannot be read. */
export function parentPidOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    try {
      return Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim()) || undefined;
    } catch {
      return undefined;
    }
  }
}

/** The command line of `pid` (arguments joined by spaces), or '' when it cannot be read. */
export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    try {
      return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  }
}

/** Calls `onGone` once when any of `pids` is no longer alive. */
export function watchProcesses(pids: readonly number[], onGone: (pid: number) => void, intervalMs = 500): () => void {
  let fired = false;
  const timer = setInterval(() => {
    const gone = pids.find((pid) => !isProcessAlive(pid));
    if (fired || gone === undefined) return;
    fired = true;
    clearInterval(timer);
    onGone(gone);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
