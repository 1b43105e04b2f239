import { scrubSecrets } from './postgres-connection.js';
import { StoreError } from './todo-repository.js';

/** What the store was doing when PostgreSQL failed; decides the StoreError code and the advice. */
export type PostgresAction = 'open' | 'read' | 'write';

export interface PostgresErrorContext {
  action: PostgresAction;
  /** The server, already redacted (see redactConnectionString). */
  where: string;
  /** Strings never to let through (the password), see connectionSecrets. */
  secrets: readonly string[];
  /** For writes: whether the statement may have reached the server (false: failed while connecting). Default true. */
  sent?: boolean;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** Errors the server reported on a healthy connection carry a SQLSTATE; anything else leaves the connection suspect. */
export function connectionIsSuspect(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57');
}

/** A statement refused for the data it was given (SQLSTATE classes 22 and 23), on a connection that stays healthy. */
export function refusedData(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** Advice by SQLSTATE (exact code, then its two-character class). */
function adviceFor(sqlState: string): string | undefined {
  switch (sqlState) {
    case '3D000':
      return 'Create the database first (createdb), or fix the database name in --store.';
    case '53300':
      return 'The server has no free connections: lower the pool size per replica or raise max_connections.';
    case '57014':
      return 'The statement took too long and was cancelled (statement timeout).';
    case '42501':
      return 'The role in --store lacks a privilege todo-mcp needs (CREATE on the schema at first start, then SELECT/INSERT/DELETE).';
    case '42P07':
      return 'A table of that name already exists and was not made by todo-mcp: give todo-mcp its own database or schema.';
    case '25006':
      return 'The server is read-only (a standby?): point --store at the primary.';
    case '55P03':
      return 'Another replica held the schema lock for too long; retry the start.';
  }
  switch (sqlState.slice(0, 2)) {
    case '08':
    case '57':
      return 'PostgreSQL is not accepting connections; check that it is running and reachable.';
    case '28':
      return 'Check the user name and password in --store (and pg_hba.conf on the server).';
  }
  return undefined;
}

/** The driver's error as one line: reason, SQLSTATE or OS code, with secrets removed. */
function describe(error: unknown, secrets: readonly string[]): { reason: string; advice: string | undefined } {
  const err = error as { message?: unknown; code?: unknown } | undefined;
  const message = typeof err?.message === 'string' && err.message !== '' ? err.message : String(error);
  const code = typeof err?.code === 'string' ? err.code : undefined;
  let advice: string | undefined;
  if (code && /^[0-9A-Z]{5}$/.test(code)) advice = adviceFor(code);
  else if ((code && NETWORK_CODES.has(code)) || /timeout exceeded when trying to connect|Connection terminated/i.test(message)) {
    advice = 'PostgreSQL is not reachable; check that it is running and that host and port in --store are right.';
  }
  const reason = code && !message.includes(code) ? `${message} (${code})` : message;
  return { reason: scrubSecrets(reason, secrets), advice };
}

/**
 * Turns a driver or server error into a StoreError that names the (redacted) server and never carries the
 * password: store_unreadable for open and read, store_write_failed for writes. A StoreError passes through.
 */
export function postgresStoreError(error: unknown, context: PostgresErrorContext): StoreError {
  if (error instanceof StoreError) return error;
  const { reason, advice } = describe(error, context.secrets);
  const head =
    context.action === 'open'
      ? `Cannot open the PostgreSQL todo store at ${context.where}: ${reason}.`
      : context.action === 'read'
        ? `Could not read todos from PostgreSQL at ${context.where}: ${reason}.`
        : context.sent === false
          ? `Could not save the change to PostgreSQL at ${context.where}: ${reason}. Nothing was saved; retry once the problem is fixed.`
          : `Could not save the change to PostgreSQL at ${context.where}: ${reason}. It may or may not have been applied; list the todos before retrying.`;
  const message = advice ? `${head} ${advice}` : head;
  // The original error is not kept as the cause: driver errors can carry connection details.
  return new StoreError(context.action === 'write' ? 'store_write_failed' : 'store_unreadable', message);
}
