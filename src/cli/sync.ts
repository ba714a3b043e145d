import { redisStartupError, redisTopologyOf } from '../queue/connection.js';
import type { Settings } from '../config/types.js';
import { pageSyncSpecs, listHandbookPages } from '../actions/shared/handbook-pages.js';
import { GitLabClient } from '../gitlab/client.js';
import { createLogger } from '../log.js';
import { EXIT, type CliIo } from './io.js';
import { openProducer } from './producer.js';

/**
 * `handbook-bot sync [--dry-run] [--only <glob>]`: queue a `page-sync` for every job-family page of the
 * handbook's default branch. Work already pending for a page at that commit is not queued again.
 */
export interface SyncOptions {
  settings: Settings;
  dryRun: boolean;
  only: string | undefined;
  io: CliIo;
  /** Progress counter on a terminal; off in pipes and tests. */
  progress?: boolean;
}

const BATCH = 50;

export async function runSync(options: SyncOptions): Promise<number> {
  const { settings, io } = options;
  const logger = createLogger(settings.env.logLevel === 'info' ? 'warn' : settings.env.logLevel, process.stderr);
  // Reads only: listing the tree works with or without a token (public handbooks need none).
  const gitlab = new GitLabClient({ url: settings.env.gitlabUrl, token: settings.env.gitlabToken, dryRun: true, logger });
  let pages;
  try {
    pages = await listHandbookPages(gitlab, settings.config, options.only);
  } catch (error) {
    io.stderr(`handbook-bot sync: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  }
  io.stdout(
    `${pages.paths.length} job-family page(s) on ${pages.branch} at ${pages.commit.slice(0, 8)}${options.only ? ` matching ${options.only}` : ''}`,
  );
  const specs = pageSyncSpecs(pages, 'sync');

  if (options.dryRun) {
    for (const path of pages.paths) io.stdout(`  would queue page-sync ${path}`);
    io.stdout(`dry run: nothing queued`);
    return EXIT.ok;
  }

  const producer = await openProducer(settings, logger);
  if (producer === undefined) {
    io.stderr(`handbook-bot sync: ${redisStartupError(redisTopologyOf(settings.env), 'no connection within 3 s')}`);
    return EXIT.usage;
  }
  const showProgress = options.progress ?? process.stderr.isTTY === true;
  let added = 0;
  try {
    for (let start = 0; start < specs.length; start += BATCH) {
      const result = await producer.enqueueCounting(specs.slice(start, start + BATCH));
      added += result.added;
      if (showProgress) process.stderr.write(`\rqueued ${Math.min(start + BATCH, specs.length)}/${specs.length}`);
    }
  } catch (error) {
    // Jobs already queued stay queued: running sync again queues only what is missing.
    io.stderr(`handbook-bot sync: queueing stopped after ${added} new job(s): ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  } finally {
    if (showProgress) process.stderr.write('\n');
    await producer.close();
  }
  io.stdout(`queued ${added} page-sync job(s); ${specs.length - added} already pending`);
  return EXIT.ok;
}
