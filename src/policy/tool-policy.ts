import { SCOPES, type Scope } from './scopes.js';

export type ToolName = 'create-todo' | 'get-todos' | 'delete-todo';

/**
 * What each tool needs. `required` scopes gate the call itself (403 insufficient_scope without them);
 * `widens` scopes do not gate the call but lift the ownership restriction (see everything / delete anything).
 */
export const TOOL_POLICY: Readonly<Record<ToolName, { required: readonly Scope[]; widens: readonly Scope[] }>> = {
  'create-todo': { required: [SCOPES.create], widens: [] },
  'get-todos': { required: [], widens: [SCOPES.read] },
  'delete-todo': { required: [], widens: [SCOPES.delete] },
};

/** The scopes a token lacks for a tool, empty when the call may proceed. */
export function missingScopes(tool: string, granted: readonly string[]): Scope[] {
  // Own properties only: a tool named `constructor` or `__proto__` must not find Object.prototype's members.
  if (!Object.hasOwn(TOOL_POLICY, tool)) return [];
  const policy = TOOL_POLICY[tool as ToolName];
  return policy.required.filter((scope) => !granted.includes(scope));
}
