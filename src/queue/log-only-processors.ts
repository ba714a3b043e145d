import type { Logger } from '../log.js';
import type { Processors } from './worker.js';

/**
 * Processors that only say what they would do: the web → queue → worker path runs end to end before the
 * real actions exist, and a deployment can be watched without touching GitLab.
 */
export function logOnlyProcessors(logger: Logger): Processors {
  const log = (name: string, id: string | undefined, data: object, would: string) => {
    logger.info({ job: id, name, data }, `would ${would}`);
    return Promise.resolve({ logged: true });
  };
  return {
    'page-sync': (job) =>
      log(job.name, job.id, job.data, `sync the OKR issue of ${job.data.path} at ${job.data.commit} (${job.data.change})`),
    'push-resolve': (job) =>
      log(job.name, job.id, job.data, `list the changes ${job.data.before}..${job.data.after} and queue page-sync jobs`),
    'mr-checklist': (job) =>
      log(job.name, job.id, job.data, `review the job-family pages of !${job.data.mrIid} at ${job.data.headSha}`),
    'page-review': (job) =>
      log(job.name, job.id, job.data, `diff ${job.data.oldPath ?? '(new)'} → ${job.data.path ?? '(deleted)'} for !${job.data.mrIid}`),
    'recruiting-issue': (job) =>
      log(job.name, job.id, job.data, `check the hiring-stage label of #${job.data.issueIid}`),
    command: (job) => log(job.name, job.id, job.data, `run "${job.data.commandText}" for note ${job.data.noteId}`),
    'sync-all': (job) => log(job.name, job.id, job.data, `queue page-sync for every page${job.data.only ? ` matching ${job.data.only}` : ''}`),
  };
}
