import { createHash, timingSafeEqual } from 'node:crypto';

/** A user of the embedded development authorization server. */
export interface DevAccount {
  /** Sign-in name; also the stable `sub` of every token issued to this account. */
  readonly username: string;
  /** Plain-text development password (these accounts are for local development only). */
  readonly password: string;
  /** Role names, looked up in the server's role → scopes map. */
  readonly roles: readonly string[];
  /** Display name for the `profile` scope. Default: the username. */
  readonly name?: string;
}

/** What the server reports about an account: never the password. */
export interface DevAccountInfo {
  readonly username: string;
  readonly name: string;
  readonly roles: readonly string[];
  /** Every scope the account's roles grant. */
  readonly scopes: readonly string[];
}

/** The documented development passwords of the seeded accounts (README and start-up banner). */
export const DEV_PASSWORDS = {
  admin: 'admin-dev',
  alice: 'alice-dev',
  bob: 'bob-dev',
} as const;

/** Seeded accounts, as in the tutorial: one Admin and two Users. */
export const DEFAULT_DEV_ACCOUNTS: readonly DevAccount[] = [
  { username: 'admin', password: DEV_PASSWORDS.admin, roles: ['Admin'], name: 'Admin' },
  { username: 'alice', password: DEV_PASSWORDS.alice, roles: ['User'], name: 'Alice' },
  { username: 'bob', password: DEV_PASSWORDS.bob, roles: ['User'], name: 'Bob' },
];

/** Looks accounts up and checks passwords; built once per server from validated options. */
export interface AccountDirectory {
  find(username: string): DevAccountInfo | undefined;
  /** The account when the password matches, otherwise undefined (same work either way). */
  authenticate(username: string, password: string): DevAccountInfo | undefined;
  list(): DevAccountInfo[];
  /** Every scope any role grants: the resource's scope set. */
  readonly allScopes: readonly string[];
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function createAccountDirectory(options: {
  accounts: readonly DevAccount[];
  roles: Readonly<Record<string, readonly string[]>>;
}): AccountDirectory {
  const byName = new Map<string, { info: DevAccountInfo; passwordDigest: Buffer }>();
  for (const account of options.accounts) {
    if (!account.username || /\s/.test(account.username)) {
      throw new TypeError(`dev-auth: invalid username ${JSON.stringify(account.username)}`);
    }
    if (byName.has(account.username)) throw new TypeError(`dev-auth: duplicate account ${account.username}`);
    if (!account.password) throw new TypeError(`dev-auth: account ${account.username} has no password`);
    const scopes = new Set<string>();
    for (const role of account.roles) {
      const granted = options.roles[role];
      if (!granted) throw new TypeError(`dev-auth: account ${account.username} has unknown role ${role}`);
      for (const scope of granted) scopes.add(scope);
    }
    byName.set(account.username, {
      info: { username: account.username, name: account.name ?? account.username, roles: [...account.roles], scopes: [...scopes] },
      passwordDigest: digest(account.password),
    });
  }
  const allScopes = [...new Set(Object.values(options.roles).flat())];
  // Compared as digests so the comparison is constant-time whatever the lengths are.
  const unknownDigest = digest('\u0000no such account');

  return {
    allScopes,
    find: (username) => byName.get(username)?.info,
    authenticate(username, password) {
      const entry = byName.get(username);
      const matches = timingSafeEqual(entry?.passwordDigest ?? unknownDigest, digest(password));
      return entry && matches ? entry.info : undefined;
    },
    list: () => [...byName.values()].map((entry) => entry.info),
  };
}
