import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { faultsSchema } from './faults.js';
import { startGitLabSim } from './server.js';

/**
 * The simulator as its own process, for suites that start the bot's processes against it:
 *   npx tsx test/support/gitlab-sim/main.ts --port 0 --state seed.json
 * The first stdout line is `{"url":"http://127.0.0.1:<port>","token":"…"}`; SIGTERM/SIGINT stop it.
 * Options: --token, --bot-username, --latency-ms, --seed (fault PRNG), --faults '<FaultOptions JSON>',
 * --stdin-lifeline. Spawn `node --import tsx main.ts` (not `npx`) so the pid you signal is the server's.
 */

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    state: { type: 'string' },
    token: { type: 'string' },
    'bot-username': { type: 'string' },
    'latency-ms': { type: 'string' },
    seed: { type: 'string' },
    faults: { type: 'string' },
    /** Exit when stdin closes: a parent that dies without SIGTERM leaves no orphaned simulator. */
    'stdin-lifeline': { type: 'boolean', default: false },
  },
  strict: true,
});

function number(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${text}`);
  return n;
}

async function main(): Promise<void> {
  const initialState: unknown = values.state === undefined ? undefined : JSON.parse(await readFile(values.state, 'utf8'));
  const sim = await startGitLabSim({
    port: number('port', values.port),
    token: values.token,
    botUsername: values['bot-username'],
    latencyMs: number('latency-ms', values['latency-ms']),
    seed: number('seed', values.seed),
    faults: values.faults === undefined ? undefined : faultsSchema.parse(JSON.parse(values.faults)),
    initialState,
  });
  process.stdout.write(`${JSON.stringify({ url: sim.url, token: sim.token })}\n`);
  const stop = (): void => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (values['stdin-lifeline'] === true) {
    process.stdin.once('close', stop);
    process.stdin.resume();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`gitlab-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
