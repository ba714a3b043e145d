import { readFileSync } from 'node:fs';
import { redisStartupError, redisTopologyOf } from '../queue/connection.js';
import type { Settings } from '../config/types.js';
import { createLogger } from '../log.js';
import { createRouter } from '../webhook/routes.js';
import { EXIT, ioErrorLine, type CliIo } from './io.js';
import { openProducer } from './producer.js';

/**
 * `handbook-bot replay --event "<X-Gitlab-Event>" <payload.json>`: queue a saved payload as if GitLab had
 * delivered it, through the server's own router, and print the job ids. A replay is an explicit re-run,
 * so its jobs run even when the same delivery was processed before.
 */
export interface ReplayOptions {
  settings: Settings;
  event: string;
  payloadPath: string;
  io: CliIo;
}

export async function runReplay(options: ReplayOptions): Promise<number> {
  const { settings, io } = options;
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(options.payloadPath, 'utf8'));
  } catch (error) {
    io.stderr(
      error instanceof SyntaxError
        ? `handbook-bot replay: ${options.payloadPath} is not JSON: ${error.message}`
        : ioErrorLine(options.payloadPath, error),
    );
    return EXIT.usage;
  }
  const router = createRouter(settings.config, {
    bot: { username: settings.config.bot.commandWord.replace(/^@/, '') },
    trigger: 'replay',
  });
  const routed = router(options.event, body);
  if (routed.kind === 'invalid') {
    io.stderr(`handbook-bot replay: ${options.payloadPath}: ${routed.message}`);
    return EXIT.usage;
  }
  if (routed.kind === 'ignored') {
    io.stdout(`ignored: ${routed.reason}`);
    return EXIT.ok;
  }
  const logger = createLogger(settings.env.logLevel === 'info' ? 'warn' : settings.env.logLevel, process.stderr);
  const producer = await openProducer(settings, logger);
  if (producer === undefined) {
    io.stderr(`handbook-bot replay: ${redisStartupError(redisTopologyOf(settings.env), 'no connection within 3 s')}`);
    return EXIT.usage;
  }
  try {
    const { ids } = await producer.enqueueCounting(routed.jobs);
    for (const [index, id] of ids.entries()) io.stdout(`queued ${routed.jobs[index]?.name ?? 'job'} ${id}`);
    if (ids.length === 0) io.stdout('nothing to queue');
  } catch (error) {
    io.stderr(`handbook-bot replay: nothing queued: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  } finally {
    await producer.close();
  }
  return EXIT.ok;
}
