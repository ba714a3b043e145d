import type { Config } from '../../config/types.js';
import type { ProjectId } from '../../queue/jobs.js';

/** A configuration the hiring actions cannot work with: retrying cannot fix it. */
export class HiringConfigError extends Error {
  override readonly name = 'HiringConfigError';
  readonly permanent = true;
}

/** `recruiting.project` (the loader defaults it to the handbook project). */
export function recruitingProject(config: Config): ProjectId {
  const project = config.recruiting.project ?? config.handbook.project;
  if (project === undefined) {
    throw new HiringConfigError(
      'hiring stages need the recruiting project: set recruiting.project (or handbook.project) in the config file',
    );
  }
  return project;
}
