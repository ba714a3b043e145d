import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  /** Call in beforeEach. */
  create: () => void;
  /** Call in afterEach. */
  cleanup: () => void;
  dir: () => string;
  /** Writes a file into the directory and returns its path. */
  write: (name: string, text: string) => string;
}

/** A scratch directory per test, under the OS temp dir, removed afterwards. */
export function useTempDir(): TempDir {
  let current: string | undefined;
  const dir = (): string => {
    if (current === undefined) throw new Error('temp dir not created: call create() in beforeEach');
    return current;
  };
  return {
    dir,
    create: () => {
      current = mkdtempSync(join(tmpdir(), 'handbook-bot-config-'));
    },
    cleanup: () => {
      if (current !== undefined) rmSync(current, { recursive: true, force: true });
      current = undefined;
    },
    write: (name, text) => {
      const path = join(dir(), name);
      writeFileSync(path, text);
      return path;
    },
  };
}
