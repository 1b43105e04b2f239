import { describeNetworkError, isNetworkError } from '../http/network-error.js';
import { LogtoError } from './logto-error.js';

/** What an openapi-fetch call resolves to. */
export interface FetchAnswer<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/** The body Logto sends with every refusal (`RequestError.toBody`): `{ code, message, data?, details? }`. */
interface LogtoRefusal {
  code?: string;
  message?: string;
  data?: { key?: string; limit?: number; usage?: number };
  details?: string;
}

/**
 * Runs one Management API call and returns its data, or throws a LogtoError that says what to do.
 * `what` names the operation for the message ("Creating the role Admin").
 */
export async function managementAnswer<T>(what: string, call: () => Promise<FetchAnswer<T>>): Promise<T> {
  let answer: FetchAnswer<T>;
  try {
    answer = await call();
  } catch (error) {
    if (error instanceof LogtoError) throw error;
    if (isNetworkError(error)) {
      throw new LogtoError('logto_unreachable', `${what} failed: cannot reach Logto (${describeNetworkError(error)}).`, { cause: error });
    }
    if (error instanceof SyntaxError) {
      throw new LogtoError('logto_invalid_answer', `${what} failed: Logto answered something that is not JSON.`, { cause: error });
    }
    throw error;
  }
  const { response } = answer;
  if (response.ok) return answer.data as T;
  throw refusal(what, response.status, answer.error);
}

function refusal(what: string, status: number, body: unknown): LogtoError {
  const refused: LogtoRefusal = typeof body === 'object' && body !== null ? (body as LogtoRefusal) : {};
  const said = refused.code ? `${refused.code}: ${refused.message ?? ''}`.trim() : typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`;
  if (status === 403 && refused.code === 'auth.forbidden') {
    return new LogtoError(
      'logto_forbidden',
      `${what} failed: the Management API refused the machine-to-machine app (${said}). Give it the Management API role: ` +
        'Console → Applications → your machine-to-machine app → Roles → assign "Logto Management API access" ' +
        '(any machine-to-machine role with the Management API permission `all`), then run this again.',
      { status },
    );
  }
  if (status === 403 && (refused.code === 'subscription.limit_exceeded' || refused.code === 'system_limit.limit_exceeded')) {
    const { key, limit, usage } = refused.data ?? {};
    const which = key ? ` (${key}${limit === undefined ? '' : `: limit ${limit}`}${usage === undefined ? '' : `, in use ${usage}`})` : '';
    return new LogtoError(
      'logto_quota_exceeded',
      `${what} failed: the tenant's plan allows no more of these${which}. Remove objects you no longer use in the Console, ` +
        'or use a plan with higher limits; then run this again (what was already created is reused, not duplicated).',
      { status },
    );
  }
  if (status === 401) {
    return new LogtoError(
      'logto_credentials_rejected',
      `${what} failed: the Management API refused the access token (${said}). Check that --management-resource is this tenant's ` +
        'Management API and that the machine-to-machine app belongs to the tenant at --endpoint.',
      { status },
    );
  }
  return new LogtoError('logto_request_failed', `${what} failed: Logto answered HTTP ${status} (${said}).`, { status });
}
