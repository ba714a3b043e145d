import type { Config } from './types.js';
import type { ParseOptions } from '../jobfamily/parse.js';
import { stageRulesFromConfig } from '../jobfamily/stages.js';

/** The parser's options from the configuration: custom hiring stages replace the built-in ones. */
export function parseOptionsFromConfig(config: Config): ParseOptions {
  const stages = config.recruiting.stages;
  return stages === undefined ? {} : { stageRules: stageRulesFromConfig(stages) };
}
