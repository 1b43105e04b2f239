/**
 * The one definition of todo-mcp's permissions. The Protected Resource Metadata, the bearer checks,
 * the tools and the embedded authorization server's roles are all derived from these constants.
 */
export const SCOPES = {
    create: 'create:todos',
    read: 'read:todos',
    delete: 'delete:todos',
};
/** Every scope this resource server understands, in the order metadata lists them. */
export const ALL_SCOPES = [SCOPES.create, SCOPES.read, SCOPES.delete];
/** Human descriptions, as the tutorial registers them in Logto. */
export const SCOPE_DESCRIPTIONS = {
    'create:todos': 'Create new todo items',
    'read:todos': 'Read all todo items',
    'delete:todos': 'Delete any todo item',
};
/** Roles as the tutorial defines them: Admin holds every scope, User may only create. */
export const ROLES = {
    Admin: [SCOPES.create, SCOPES.read, SCOPES.delete],
    User: [SCOPES.create],
};
/**
 * What each tool needs. `required` scopes gate the call itself (403 insufficient_scope without them);
 * `widens` scopes do not gate the call but lift the ownership restriction (see everything / delete anything).
 */
export const TOOL_POLICY = {
    'create-todo': { required: [SCOPES.create], widens: [] },
    'get-todos': { required: [], widens: [SCOPES.read] },
    'delete-todo': { required: [], widens: [SCOPES.delete] },
};
/** The scopes a token lacks for a tool, empty when the call may proceed. */
export function missingScopes(tool, granted) {
    // Own properties only: a tool named `constructor` or `__proto__` must not find Object.prototype's members.
    if (!Object.hasOwn(TOOL_POLICY, tool))
        return [];
    const policy = TOOL_POLICY[tool];
    return policy.required.filter((scope) => !granted.includes(scope));
}
/** Which roles grant a scope, for error messages that tell the user whom to ask. */
export function rolesGranting(scope) {
    return Object.entries(ROLES)
        .filter(([, scopes]) => scopes.includes(scope))
        .map(([role]) => role);
}
//# sourceMappingURL=scopes.js.map