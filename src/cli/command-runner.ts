import type { CommandUnknownOpts, Option } from '@commander-js/extra-typings';
import type { ValueSource } from '../config/config-file.js';
import type { ConfigFile } from '../config/config-file-schema.js';
import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';

/** A command's implementation, in a module imported only when the command runs (so `--help` stays fast). */
export type CommandFn<O> = (options: O, ctx: CliContext) => Promise<number | void>;

type AnyOption = Option<any, any, any, any, any, any>;

/** What `run` needs of a command: its typed values and commander's bookkeeping of where each came from. */
export type TypedCommand<O> = Omit<CommandUnknownOpts, 'opts'> & { opts(): O };

/** Besides the options, what an action hands to its command. */
export interface RunExtras<E> {
  /** A server URL given as an argument: it counts as --server; a different --server is a usage error. Default: none. */
  readonly serverArgument?: string | undefined;
  /** Argument values passed to the command beside the options. Default: none. */
  readonly args?: E;
}

export interface CommandRunner {
  /** Marks `option` as one the config file's `key` fills when neither a flag nor the environment gave it. */
  configured<T extends AnyOption>(key: keyof ConfigFile, option: T): T;
  /** Settles the values (argument, then config file), loads the command and runs it with them. */
  run<O extends object, E extends object = object>(command: TypedCommand<O>, load: () => Promise<CommandFn<O & E>>, extras?: RunExtras<E>): Promise<void>;
  /** The help text of an option: description, then choices, default, environment variable and config key. */
  describe(option: Option): string;
}

export interface CommandRunnerOptions {
  /** What commands may touch of the process. Required. */
  readonly ctx: CliContext;
  /** Runs a loaded command with its settled values (`main` records the exit code; tests look at the values). Required. */
  execute<V>(load: () => Promise<CommandFn<V>>, values: V): Promise<void>;
}

/** The default an option shows in help and the README: its description of the default, else its value. */
export function defaultText(option: Option): string | undefined {
  if (option.defaultValueDescription !== undefined) return option.defaultValueDescription;
  if (option.defaultValue === undefined || (!option.required && !option.optional)) return undefined;
  return Array.isArray(option.defaultValue) ? option.defaultValue.join(', ') : String(option.defaultValue);
}

const isInvalidArgument = (error: unknown): error is Error => (error as { code?: unknown } | undefined)?.code === 'commander.invalidArgument';

function optionNamed(command: CommandUnknownOpts, key: string): Option | undefined {
  return command.options.find((option) => option.attributeName() === key);
}

/**
 * How `main` runs commands. Commander gives each option its value by precedence flag > environment >
 * default (`Option.env()`, `.default()`); here a server URL argument counts as a flag, and the config file
 * fills only the options whose value is still the default, through the same parser as a flag.
 */
export function createCommandRunner(options: CommandRunnerOptions): CommandRunner {
  const configKeys = new Map<Option, keyof ConfigFile>();

  async function applyConfigFile(command: CommandUnknownOpts): Promise<void> {
    const configurable = command.options.filter((option) => configKeys.has(option));
    if (configurable.length === 0) return;
    const { loadConfigFile, ConfigError } = await import('../config/config-file.js');
    const { path, config } = await loadConfigFile({ path: command.getOptionValue('config') as string | undefined, cwd: options.ctx.cwd });
    for (const option of configurable) {
      const key = configKeys.get(option)!;
      const name = option.attributeName();
      const raw = config[key];
      const source = command.getOptionValueSource(name) as ValueSource;
      if (raw === undefined || (source !== undefined && source !== 'default')) continue;
      let value: unknown = raw;
      try {
        // Numbers and booleans were checked by the file's schema; strings go through the option's parser.
        if (option.parseArg && Array.isArray(raw)) value = raw.reduce<unknown>((previous, item) => option.parseArg!(String(item), previous), undefined);
        else if (option.parseArg && typeof raw === 'string') value = option.parseArg(raw, undefined);
      } catch (error) {
        if (isInvalidArgument(error)) throw new ConfigError('config_invalid', `The config file ${path}: "${key}" ${JSON.stringify(raw)} is invalid. ${error.message}`);
        throw error;
      }
      command.setOptionValueWithSource(name, value, 'config');
    }
  }

  function applyServerArgument(command: CommandUnknownOpts, argument: string): void {
    const option = optionNamed(command, 'server');
    if (!option) throw new TypeError(`${command.name()} has no --server option`);
    if (command.getOptionValueSource('server') === 'cli' && command.getOptionValue('server') !== argument) {
      throw new CliError('usage', `Two servers given (${argument} and --server ${String(command.getOptionValue('server'))}); give one.`);
    }
    let value: unknown = argument;
    try {
      if (option.parseArg) value = option.parseArg(argument, undefined);
    } catch (error) {
      if (isInvalidArgument(error)) throw new CliError('usage', `The server URL ${JSON.stringify(argument)} is invalid. ${error.message}`);
      throw error;
    }
    command.setOptionValueWithSource('server', value, 'cli');
  }

  return {
    configured(key, option) {
      configKeys.set(option, key);
      return option;
    },

    async run<O extends object, E extends object = object>(command: TypedCommand<O>, load: () => Promise<CommandFn<O & E>>, extras: RunExtras<E> = {}) {
      const untyped = command as unknown as CommandUnknownOpts;
      if (extras.serverArgument !== undefined) applyServerArgument(untyped, extras.serverArgument);
      await applyConfigFile(untyped);
      await options.execute(load, { ...command.opts(), ...(extras.args as E) });
    },

    describe(option) {
      const extra: string[] = [];
      if (option.argChoices) extra.push(`choices: ${option.argChoices.join(', ')}`);
      const fallback = defaultText(option);
      if (fallback !== undefined) extra.push(`default: ${fallback}`);
      if (option.envVar) extra.push(`env: ${option.envVar}`);
      const key = configKeys.get(option);
      if (key) extra.push(`config: "${key}"`);
      return extra.length > 0 ? `${option.description} (${extra.join(', ')})` : option.description;
    },
  };
}
