import chalk, { Chalk, type ChalkInstance } from 'chalk';

/**
 * The one colour decision of the CLI: colours only when chalk found colour support (level > 0, FORCE_COLOR
 * included), the stream is a terminal, and NO_COLOR is unset or empty (https://no-color.org; chalk 5 does
 * not read it). `level` defaults to chalk's own detection.
 */
export function painter(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>, level: number = chalk.level): ChalkInstance {
  const color = level > 0 && stream.isTTY === true && !env.NO_COLOR;
  return new Chalk({ level: color ? (level as 1 | 2 | 3) : 0 });
}
