/** The parts of a Logto tenant's objects that `logto setup` reads and writes (the Management API returns more). */

export interface ResourceScope {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
}

export interface ApiResource {
  readonly id: string;
  readonly name: string;
  readonly indicator: string;
  readonly scopes: readonly ResourceScope[];
}

export type RoleType = 'User' | 'MachineToMachine';

export interface Role {
  readonly id: string;
  readonly name: string;
  readonly type: RoleType;
  readonly isDefault: boolean;
}

/** A role with the scopes it grants, each with the resource it belongs to. */
export interface RoleWithScopes extends Role {
  readonly scopes: ReadonlyArray<{ readonly id: string; readonly name: string; readonly resourceId: string }>;
}

export type ApplicationType = 'Native' | 'SPA' | 'Traditional' | 'MachineToMachine' | 'Protected' | 'SAML';

/** An application's OIDC client metadata, kept whole: Logto replaces it as a whole on update. */
export interface OidcClientMetadata {
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly [other: string]: unknown;
}

export interface Application {
  readonly id: string;
  readonly name: string;
  readonly type: ApplicationType;
  readonly isThirdParty: boolean;
  readonly oidcClientMetadata: OidcClientMetadata;
}

export interface TenantUser {
  readonly id: string;
  readonly username: string | null;
}

/** A user with the names of the user roles they hold. */
export interface UserWithRoles extends TenantUser {
  readonly roleIds: readonly string[];
}
