/** Where a CLI command writes; injected so tests can read what a user would see. */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

export const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/** Exit codes shared by the page commands (DESIGN §5). */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

/** One line for an I/O error a user caused, never a stack trace. */
export function ioErrorLine(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory (give a file)'
          : error instanceof Error
            ? error.message
            : String(error);
  return `handbook-bot: cannot read ${path}: ${reason}`;
}
