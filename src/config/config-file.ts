import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { TodoMcpError, type TodoMcpErrorOptions } from '../errors/todo-mcp-error.js';
import { DEFAULTS } from './defaults.js';
import type { ConfigFile } from './config-file-schema.js';

/** Where an option's value came from; precedence: a flag (or argument) > the environment > the config file > the default. */
export type ValueSource = 'cli' | 'env' | 'config' | 'default' | undefined;

/**
 * `config_unreadable`: the named config file cannot be read; `config_invalid`: a config file, flag or
 * environment value is wrong; `config_exists`: `init` refuses to overwrite files without --force.
 */
export type ConfigErrorCode = 'config_unreadable' | 'config_invalid' | 'config_exists';

/** A configuration problem the user fixes (the CLI exits 2, "usage or configuration error"). */
export class ConfigError extends TodoMcpError<ConfigErrorCode> {
  override readonly name = 'ConfigError';
  constructor(code: ConfigErrorCode, message: string, options: TodoMcpErrorOptions = {}) {
    super(code, message, options);
  }
}

/**
 * Reads and validates the config file. An explicitly named file must exist; the default
 * `./todo-mcp.config.json` is optional. Relative paths inside it stay relative to the file's directory.
 */
export async function loadConfigFile(options: { path?: string; cwd: string }): Promise<{ path?: string; config: ConfigFile }> {
  const explicit = options.path !== undefined;
  const path = resolve(options.cwd, options.path ?? DEFAULTS.configFile);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') return { config: {} };
    throw new ConfigError('config_unreadable', `Cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('config_invalid', `The config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  // The schema (zod) loads only when there is a file: most client commands run without one.
  const { configFileSchema } = await import('./config-file-schema.js');
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new ConfigError('config_invalid', `The config file ${path} is invalid:\n${problems.join('\n')}`);
  }
  const config = parsed.data;
  if (config.data) config.data = resolve(path, '..', config.data);
  if (config.store && !/^[a-z][a-z0-9+.-]*:\/\//i.test(config.store)) config.store = resolve(path, '..', config.store);
  return { path, config };
}
