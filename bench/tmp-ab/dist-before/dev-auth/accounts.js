import { createHash, timingSafeEqual } from 'node:crypto';
/** The documented development passwords of the seeded accounts (README and start-up banner). */
export const DEV_PASSWORDS = {
    admin: 'admin-dev',
    alice: 'alice-dev',
    bob: 'bob-dev',
};
/** Seeded accounts, as in the tutorial: one Admin and two Users. */
export const DEFAULT_DEV_ACCOUNTS = [
    { username: 'admin', password: DEV_PASSWORDS.admin, roles: ['Admin'], name: 'Admin' },
    { username: 'alice', password: DEV_PASSWORDS.alice, roles: ['User'], name: 'Alice' },
    { username: 'bob', password: DEV_PASSWORDS.bob, roles: ['User'], name: 'Bob' },
];
const digest = (value) => createHash('sha256').update(value, 'utf8').digest();
export function createAccountDirectory(options) {
    const byName = new Map();
    for (const account of options.accounts) {
        if (!account.username || /\s/.test(account.username)) {
            throw new TypeError(`dev-auth: invalid username ${JSON.stringify(account.username)}`);
        }
        if (byName.has(account.username))
            throw new TypeError(`dev-auth: duplicate account ${account.username}`);
        if (!account.password)
            throw new TypeError(`dev-auth: account ${account.username} has no password`);
        const scopes = new Set();
        for (const role of account.roles) {
            const granted = options.roles[role];
            if (!granted)
                throw new TypeError(`dev-auth: account ${account.username} has unknown role ${role}`);
            for (const scope of granted)
                scopes.add(scope);
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
//# sourceMappingURL=accounts.js.map