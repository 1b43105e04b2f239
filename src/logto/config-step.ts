import { join } from 'node:path';
import { DEFAULTS } from '../config/defaults.js';
import { renderInitialConfig, writeInitialConfig, type InitialConfigValues } from '../config/write-initial-config.js';
import { readFileIfExists } from '../fs/read-file-if-exists.js';
import type { ItemResult } from './apply.js';

/** Stands for the CLI app's id in a dry run that would create the app. */
export const NEW_APP_ID = '<id of the new CLI app>';

export interface ConfigStepOptions {
  /** Directory the files go to (the command's working directory). */
  readonly cwd: string;
  /** The values `init --provider logto` would be given. */
  readonly values: Omit<InitialConfigValues, 'provider'>;
  readonly dryRun?: boolean;
  readonly fix?: boolean;
}

/**
 * The last object of `logto setup`: `todo-mcp.config.json` (and `.env.example`), written exactly as
 * `init --provider logto` writes them. An existing config is right when the fields setup writes hold
 * these values (fields the user added do not matter); otherwise it differs and only --fix rewrites it
 * (as init would, so added fields go: the report names them). An existing `.env.example` alone is replaced only when its text differs and --fix is given.
 */
export async function configStep(options: ConfigStepOptions): Promise<ItemResult> {
  const rendered = await renderInitialConfig({ ...options.values, provider: 'logto' });
  const configText = await readFileIfExists(join(options.cwd, DEFAULTS.configFile));
  const envText = await readFileIfExists(join(options.cwd, '.env.example'));
  const result = (outcome: ItemResult['outcome'], differences: string[] = []): ItemResult => ({ kind: 'config-file', name: DEFAULTS.configFile, outcome, differences, notes: [] });

  let differences: string[];
  if (configText === undefined) {
    differences = envText !== undefined && envText.toString('utf8') !== rendered.envExample ? ['.env.example exists with other content (--fix replaces it)'] : [];
    if (differences.length > 0 && !options.fix) return result('differs', differences);
    if (options.dryRun) return result('would create', differences);
    // init refuses to overwrite; an identical .env.example (a second run after deleting the config) is no change.
    await writeInitialConfig(options.cwd, rendered, { force: envText !== undefined });
    return result('created', differences);
  }
  differences = compareConfig(configText.toString('utf8'), rendered.config as Record<string, unknown>);
  if (differences.length === 0) return result('already right');
  if (!options.fix) return result('differs', differences);
  if (options.dryRun) return result('would fix', differences);
  await writeInitialConfig(options.cwd, rendered, { force: true });
  const dropped = extraKeys(configText.toString('utf8'), rendered.config as Record<string, unknown>);
  return { ...result('fixed', differences), notes: dropped.length > 0 ? [`rewritten as init writes it; dropped ${dropped.join(', ')}`] : [] };
}

function extraKeys(text: string, wanted: Record<string, unknown>): string[] {
  try {
    return Object.keys(JSON.parse(text) as Record<string, unknown>).filter((key) => !(key in wanted));
  } catch {
    return [];
  }
}

function compareConfig(text: string, wanted: Record<string, unknown>): string[] {
  let current: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return ['is not a JSON object'];
    current = parsed as Record<string, unknown>;
  } catch {
    return ['is not valid JSON'];
  }
  return Object.entries(wanted)
    .filter(([key, value]) => current[key] !== value)
    .map(([key, value]) => `${key} is ${current[key] === undefined ? 'missing' : JSON.stringify(current[key])}, not ${JSON.stringify(value)}`);
}
