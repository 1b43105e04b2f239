/**
 * The one definition of todo-mcp's permissions. The Protected Resource Metadata, the bearer checks, the
 * tools, the embedded authorization server's roles, the Logto checklist and `logto setup` all derive from
 * the constants in src/policy/.
 */

export const SCOPES = {
  create: 'create:todos',
  read: 'read:todos',
  delete: 'delete:todos',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

/** Every scope this resource server understands, in the order metadata lists them. */
export const ALL_SCOPES: readonly Scope[] = [SCOPES.create, SCOPES.read, SCOPES.delete];

/** Human descriptions, as the tutorial registers them in Logto. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<Scope, string>> = {
  'create:todos': 'Create new todo items',
  'read:todos': 'Read all todo items',
  'delete:todos': 'Delete any todo item',
};

/** The name the tutorial gives the API resource in the authorization server. */
export const API_RESOURCE_NAME = 'Todo Manager';
