import { parse } from 'yaml';

/**
 * The pipeline GitLab would validate: `include: local` files merged in and every job's `extends`
 * resolved, as GitLab documents both (hashes deep-merged, the including file or the extending job
 * winning; arrays and scalars replaced). Only what this repository's CI files use: local includes and
 * `extends` chains. Enough to run GitLab's CI schema over the result without GitLab.
 */

export type Yaml = Record<string, unknown>;

const isHash = (value: unknown): value is Yaml => typeof value === 'object' && value !== null && !Array.isArray(value);

/** GitLab's merge for include and extends: hashes merged key by key, everything else replaced. */
export function deepMerge(base: Yaml, over: Yaml): Yaml {
  const merged: Yaml = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    merged[key] = isHash(current) && isHash(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

function parseFile(files: Record<string, string>, name: string): Yaml {
  const text = files[name];
  if (text === undefined) throw new Error(`${name}: included but not given`);
  const document: unknown = parse(text);
  if (!isHash(document)) throw new Error(`${name}: a pipeline file must be a mapping`);
  return document;
}

function localIncludes(include: unknown, from: string): string[] {
  const entries = include === undefined ? [] : Array.isArray(include) ? include : [include];
  return entries.map((entry) => {
    if (typeof entry === 'string') return entry.replace(/^\//u, '');
    if (isHash(entry) && typeof entry.local === 'string') return entry.local.replace(/^\//u, '');
    throw new Error(`${from}: only local includes can be expanded here (got ${JSON.stringify(entry)})`);
  });
}

function withIncludes(files: Record<string, string>, name: string, seen: string[]): Yaml {
  if (seen.includes(name)) throw new Error(`include cycle: ${[...seen, name].join(' → ')}`);
  const { include, ...own } = parseFile(files, name);
  let merged: Yaml = {};
  for (const included of localIncludes(include, name)) merged = deepMerge(merged, withIncludes(files, included, [...seen, name]));
  return deepMerge(merged, own);
}

function resolveJob(pipeline: Yaml, name: string, chain: string[]): Yaml {
  if (chain.includes(name)) throw new Error(`extends cycle: ${[...chain, name].join(' → ')}`);
  const job = pipeline[name];
  if (!isHash(job)) throw new Error(`${chain.at(-1) ?? name} extends ${name}, which is not a job`);
  const { extends: parents, ...own } = job;
  const list = parents === undefined ? [] : Array.isArray(parents) ? parents : [parents];
  let merged: Yaml = {};
  for (const parent of list) {
    if (typeof parent !== 'string') throw new Error(`${name}.extends: job names only (got ${JSON.stringify(parent)})`);
    merged = deepMerge(merged, resolveJob(pipeline, parent, [...chain, name]));
  }
  return deepMerge(merged, own);
}

/** `files` maps repository paths to their text; `entry` is the pipeline's own file. */
export function expandPipeline(files: Record<string, string>, entry = '.gitlab-ci.yml'): Yaml {
  const pipeline = withIncludes(files, entry, []);
  const expanded: Yaml = {};
  for (const [key, value] of Object.entries(pipeline)) {
    expanded[key] = isHash(value) && 'extends' in value ? resolveJob(pipeline, key, []) : value;
  }
  return expanded;
}
