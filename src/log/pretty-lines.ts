import type { ChalkInstance } from 'chalk';

/** Where formatted text goes (pino's destination). */
export interface TextSink {
  write(text: string): unknown;
  flush?(callback?: (error?: Error) => void): void;
}

const LEVEL_NAMES: Readonly<Record<string, string>> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR', fatal: 'FATAL' };
// Controls (C0 but tab, DEL, C1) would move the cursor or forge lines on a terminal: shown as escapes.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
const escapeControls = (text: string) => text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function value(field: unknown): string {
  if (typeof field === 'string') return /^[^\s"=]+$/.test(field) ? escapeControls(field) : JSON.stringify(field);
  return escapeControls(JSON.stringify(field) ?? String(field));
}

function clock(epochMs: unknown): string {
  const date = new Date(typeof epochMs === 'number' ? epochMs : Date.now());
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** One JSON log line as a line for people: `12:00:01.234 INFO  request method=POST … ms=1.2`, an error's stack below it. */
export function prettyLine(json: string, paint: ChalkInstance): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { time, level, msg, err, ...fields } = entry;
  const name = LEVEL_NAMES[String(level)] ?? String(level).toUpperCase();
  const colour = level === 'error' || level === 'fatal' ? paint.red : level === 'warn' ? paint.yellow : level === 'info' ? paint.green : paint.gray;
  const pairs = Object.entries(fields).map(([key, field]) => `${paint.dim(`${key}=`)}${value(field)}`);
  let line = [paint.dim(clock(time)), colour(name), escapeControls(String(msg ?? '')), ...pairs].join(' ');
  const error = err as { message?: unknown; stack?: unknown } | undefined;
  const detail = typeof error?.stack === 'string' ? error.stack : typeof error?.message === 'string' ? error.message : undefined;
  if (detail !== undefined) line += `\n${detail.split('\n').map((part) => `    ${escapeControls(part)}`).join('\n')}`;
  return `${line}\n`;
}

/**
 * A pino destination that writes pretty lines to `sink`. It parses each JSON line back: a few microseconds
 * a line, fine on a terminal a person reads (the JSON default is what a process manager gets).
 */
export function prettyStream(sink: TextSink, paint: ChalkInstance): TextSink {
  return {
    write: (line: string) => sink.write(prettyLine(line, paint)),
    flush: (callback) => (sink.flush ? sink.flush(callback) : callback?.()),
  };
}
