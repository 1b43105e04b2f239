import { InvalidArgumentError } from 'commander';

/*
 * Parsers for option values, run by commander on flags and environment variables alike: a malformed value is
 * a usage error (exit 2) naming the option, before any command runs.
 */

/** A positive number of seconds (fractions allowed), e.g. `--timeout 2.5`. */
export function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('It must be a positive number of seconds.');
  return seconds;
}
