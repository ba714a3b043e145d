import { z } from 'zod';
import { buildDump } from './dump.js';
import { faultsSchema } from './faults.js';
import type { FaultInjector } from './faults.js';
import { badParam, SimHttpError } from './http/errors.js';
import type { SimResponse } from './http/types.js';
import { json } from './http/types.js';
import { renderMergeRequest } from './render.js';
import { loadSeed, parseSeed } from './seed.js';
import type { SimState } from './state.js';

/**
 * `/__sim/*`: the control plane for tests running the simulator as a separate process. Unauthenticated
 * (loopback only), never faulted, never counted in the request log.
 */

const commitSchema = z.strictObject({
  project: z.union([z.string(), z.number()]),
  branch: z.string().optional(),
  parent: z.string().optional(),
  message: z.string().optional(),
  date: z.string().optional(),
  files: z.record(z.string(), z.string()).optional(),
  remove: z.array(z.string()).optional(),
  replace: z.boolean().optional(),
});

const branchSchema = z.strictObject({ project: z.union([z.string(), z.number()]), name: z.string().min(1), ref: z.string().min(1) });

const mergeRequestSchema = z.strictObject({
  project: z.union([z.string(), z.number()]),
  sourceBranch: z.string(),
  targetBranch: z.string().optional(),
  title: z.string().optional(),
  description: z.string().nullable().optional(),
  labels: z.array(z.string()).optional(),
  author: z.string().optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw badParam(z.prettifyError(result.error));
  return result.data;
}

/** Turns the state helpers' plain `Error`s (unknown project, ref…) into 400s. */
function guarded(fn: () => SimResponse): SimResponse {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SimHttpError) throw err;
    throw badParam(err instanceof Error ? err.message : String(err));
  }
}

export function handleAdmin(state: SimState, faults: FaultInjector, method: string, url: URL, body: unknown): SimResponse {
  const route = `${method} ${url.pathname.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /__sim/dump':
      return json(buildDump(state));
    case 'GET /__sim/faults':
      return json(faults.current);
    case 'POST /__sim/faults':
      faults.set(parse(faultsSchema, body));
      return json(faults.current);
    case 'POST /__sim/reset':
      state.reset();
      return json({ ok: true });
    case 'POST /__sim/seed':
      return guarded(() => {
        const seed = parseSeed(body);
        if (url.searchParams.get('append') !== 'true') state.reset();
        loadSeed(state, seed);
        return json({ ok: true });
      });
    case 'POST /__sim/commits':
      return guarded(() => {
        const { project, ...input } = parse(commitSchema, body);
        return json({ id: state.commit(project, input) }, 201);
      });
    case 'POST /__sim/branches':
      return guarded(() => {
        const { project, name, ref } = parse(branchSchema, body);
        return json({ name, commit: state.createBranch(project, name, ref) }, 201);
      });
    case 'POST /__sim/merge_requests':
      return guarded(() => {
        const { project, ...input } = parse(mergeRequestSchema, body);
        return json(renderMergeRequest(state, state.addMergeRequest(project, input), null), 201);
      });
    default:
      throw new SimHttpError(404, { error: `unknown simulator control ${route}` });
  }
}
