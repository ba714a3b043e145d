import type { SimDump } from '../../support/gitlab-sim/types.js';
import type { Difference } from '../../support/oracle/view-diff.js';
import { PAGE_PATHS, PAGE_SLUGS, PAGE_VERSIONS, RECRUITING_ISSUES, STEP_STAGE, renderPage } from './small-handbook.js';

/**
 * What the recruiting issues must end as, from the final tree and the literal tables alone: an issue
 * whose page is in the final tree carries exactly one `hiring-stage::` label, a stage of its role in the
 * page as it is now, and exactly the `job-family::` label of the page's current path. (A fresh sync has
 * no recruiting issues to compare with: this is checked as an invariant instead.)
 */
export function recruitingProblems(
  dump: SimDump,
  recruitingPath: string,
  iids: readonly number[],
  finalTree: ReadonlyMap<string, string>,
): Difference[] {
  const problems: Difference[] = [];
  const project = dump.projects.find((candidate) => candidate.path === recruitingPath);
  RECRUITING_ISSUES.forEach((seeded, at) => {
    const iid = iids[at];
    const issue = project?.issues.find((candidate) => candidate.iid === iid);
    const pathIndex = (PAGE_PATHS[seeded.page] ?? []).findIndex((path) => finalTree.has(path));
    if (issue === undefined || pathIndex < 0) return;
    const path = PAGE_PATHS[seeded.page]?.[pathIndex] ?? '';
    const slug = PAGE_SLUGS[seeded.page]?.[pathIndex] ?? '';
    const spec = (PAGE_VERSIONS[seeded.page] ?? []).find((version) => renderPage(version) === finalTree.get(path));
    if (spec === undefined) throw new Error(`${path} in the final tree is none of page ${seeded.page}'s versions`);
    const allowed = spec.steps.map((step) => STEP_STAGE[step] ?? '?');
    const subject = `recruiting #${issue.iid} (${seeded.title})`;
    const stages = issue.labels.filter((label) => label.startsWith('hiring-stage::')).map((label) => label.slice('hiring-stage::'.length));
    if (stages.length !== 1 || !allowed.includes(stages[0] ?? '')) {
      problems.push({
        aspect: 'hiring',
        subject,
        what: `stages ${JSON.stringify(stages)}, expected exactly one of ${JSON.stringify(allowed)} (${path} now)`,
      });
    }
    const families = issue.labels.filter((label) => label.startsWith('job-family::'));
    if (JSON.stringify(families) !== JSON.stringify([`job-family::${slug}`])) {
      problems.push({
        aspect: 'hiring',
        subject,
        what: `family labels ${JSON.stringify(families)}, expected ["job-family::${slug}"] (${path} now)`,
      });
    }
  });
  return problems;
}
