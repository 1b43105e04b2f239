/** One JSON line of the server's log (what `serve` writes to a pipe by default). */
export interface LogEntry {
  level: string;
  msg: string;
  time: number;
  [field: string]: unknown;
}

/** A request line: `msg` is "request". */
export interface RequestEntry extends LogEntry {
  method: string;
  path: string;
  rpc?: string;
  tool?: string;
  sub?: string;
  status: number;
  ms: number;
}

/** The JSON log line `line` is, or undefined for anything else (the banner, a partial line). */
export function parseLogLine(line: string): LogEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as Partial<LogEntry>;
    return typeof entry.level === 'string' && typeof entry.msg === 'string' ? (entry as LogEntry) : undefined;
  } catch {
    return undefined;
  }
}

/** Every JSON log line in `output`. */
export function logEntries(output: string): LogEntry[] {
  return output.split('\n').flatMap((line) => parseLogLine(line) ?? []);
}

export function isRequest(entry: LogEntry): entry is RequestEntry {
  return entry.msg === 'request' && typeof entry.status === 'number';
}

/** What a server should never log: an error (or worse), or a request it answered with a 5xx. */
export function isServerError(entry: LogEntry): boolean {
  return entry.level === 'error' || entry.level === 'fatal' || (isRequest(entry) && entry.status >= 500);
}

/** A request line as one short text: `POST /mcp tools/call get-todos sub=alice 200 3.1ms` (`sub=-`: no caller). */
export function describeRequest(entry: RequestEntry): string {
  return [entry.method, entry.path, entry.rpc, entry.tool, `sub=${entry.sub ?? '-'}`, entry.status, `${entry.ms}ms`].filter((part) => part !== undefined).join(' ');
}
