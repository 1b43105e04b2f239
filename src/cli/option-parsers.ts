import { InvalidArgumentError } from '@commander-js/extra-typings';
import { isPostgresUrl, looksLikeUrl, redactConnectionString } from '../store/postgres-connection.js';
import { httpUrlProblem } from '../http/http-url.js';
import { CliError } from './cli-error.js';

/*
 * Parsers for option values. Commander runs them on flags and environment variables, and the config-file
 * layer on the file's values, so a malformed value is a usage error (exit 2) naming where it came from,
 * before any command runs. Commander quotes the value in its message, so only `--store` (which may hold a
 * password) reports its own.
 */

/** A TCP port, 0–65535 (0: any free port). */
export function port(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('It must be a port number (0–65535).');
  return n;
}

/** A TCP port to listen on that the user must know beforehand, 1–65535. */
export function fixedPort(value: string): number {
  const n = port(value);
  if (n === 0) throw new InvalidArgumentError('It must be a port number (1–65535).');
  return n;
}

/** A count from `min` to `max` (a pool size): the parser for an option that takes one. */
export function integerFrom(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`It must be a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** A positive number of seconds (fractions allowed), e.g. `--timeout 2.5`. */
export function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('It must be a positive number of seconds.');
  return seconds;
}

/** An absolute http(s) URL without a fragment, kept exactly as written (a resource identifier is compared byte for byte). */
export function httpUrl(value: string): string {
  const problem = httpUrlProblem(value);
  if (problem) throw new InvalidArgumentError(`It ${problem}.`);
  return value;
}

/** Repeatable http(s) origins; one value may hold several, comma-separated (as TODO_MCP_ALLOWED_ORIGINS does). */
export function httpUrls(value: string, previous: readonly string[] | undefined): string[] {
  const values = value.split(',').map((item) => item.trim()).filter(Boolean);
  return [...(previous ?? []), ...values.map(httpUrl)];
}

/**
 * `--store`: a postgres:// (or postgresql://) URL, kept as is, or a file path; any other URL scheme is a
 * mistake. Not an InvalidArgumentError: commander would print the value, password included.
 */
export function storeLocation(value: string): string {
  if (value === '') throw new InvalidArgumentError('It must not be empty.');
  if (looksLikeUrl(value) && !isPostgresUrl(value)) {
    throw new CliError(
      'usage',
      `--store must be a postgres:// (or postgresql://) URL or a file path (so must TODO_MCP_STORE and the config file's "store"), got ${JSON.stringify(redactConnectionString(value))}.`,
    );
  }
  return value;
}

const ON = ['on', 'true', 'yes', '1'];
const OFF = ['off', 'false', 'no', '0'];

/** on/off (also true/false, yes/no, 1/0), for switches that an environment variable can turn off again. */
export function onOff(value: string): boolean {
  const word = value.trim().toLowerCase();
  if (ON.includes(word)) return true;
  if (OFF.includes(word)) return false;
  throw new InvalidArgumentError('It must be on or off.');
}

/** A value that must not be empty (a host name, a client id). */
export function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('It must not be empty.');
  return value;
}

/** A repeatable option's values in the order given, e.g. `--header A --header B`. */
export function repeatable(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
