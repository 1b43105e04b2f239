import { SCOPES, type Scope } from './scopes.js';

/** Roles as the tutorial defines them: Admin holds every scope, User may only create. */
export const ROLES: Readonly<Record<string, readonly Scope[]>> = {
  Admin: [SCOPES.create, SCOPES.read, SCOPES.delete],
  User: [SCOPES.create],
};

/** The role every new user gets (Logto: "default role"), so a fresh account can at least create todos. */
export const DEFAULT_ROLE = 'User';

/** Which roles grant a scope, for error messages that tell the user whom to ask. */
export function rolesGranting(scope: string): string[] {
  return Object.entries(ROLES)
    .filter(([, scopes]) => (scopes as readonly string[]).includes(scope))
    .map(([role]) => role);
}
