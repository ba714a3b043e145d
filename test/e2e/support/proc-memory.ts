import { readFileSync } from 'node:fs';

/**
 * Resident memory of a running process from /proc (Linux): `VmHWM` is the peak resident set since it
 * started, `VmRSS` the current one. Undefined where /proc is not there or the process is gone.
 */
export function memoryKb(pid: number | undefined): { peakKb: number; currentKb: number } | undefined {
  if (pid === undefined) return undefined;
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string): number | undefined => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  const peakKb = field('VmHWM');
  const currentKb = field('VmRSS');
  return peakKb === undefined || currentKb === undefined ? undefined : { peakKb, currentKb };
}
