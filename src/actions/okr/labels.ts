import type { LabelWrite } from '../../gitlab/api.js';
import { JOB_FAMILY_LABEL_PREFIX } from '../../jobfamily/okr.js';

/**
 * The OKR issue's labels, created deliberately (colour, description) before an issue carries them:
 * GitLab's `labels`/`add_labels` would otherwise create them silently, grey and unexplained (DESIGN §6).
 */

const OKR_COLOR = '#428bca';
const FAMILY_COLOR = '#a8d695';

/** What the bot creates for a label name; the slug is `[a-z0-9-]` by construction (pageSlug). */
export function okrLabelSpec(name: string): LabelWrite {
  if (name.startsWith(JOB_FAMILY_LABEL_PREFIX)) {
    const slug = name.slice(JOB_FAMILY_LABEL_PREFIX.length);
    return {
      name,
      color: FAMILY_COLOR,
      description: `Issues about the job-family page "${slug}": its OKR tracking issue and recruiting issues (handbook-bot)`,
    };
  }
  return { name, color: OKR_COLOR, description: 'OKR tracking issue of a job-family page, kept in step with the page by handbook-bot' };
}
