const POSTGRES_SCHEME = /^postgres(?:ql)?:\/\//i;
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const MASK = '***';
/** True for a PostgreSQL connection string (`postgres://…` or `postgresql://…`). */
export function isPostgresUrl(value) {
    return POSTGRES_SCHEME.test(value);
}
/** True for something written as `scheme://…`: a URL, never a file path. */
export function looksLikeUrl(value) {
    return ANY_SCHEME.test(value);
}
/**
 * The connection string with its password (in the user-info part or a `password=` parameter) replaced by
 * `***`, so that it can be printed, logged and put in error messages.
 */
export function redactConnectionString(connectionString) {
    let url;
    try {
        url = new URL(connectionString);
    }
    catch {
        // Not parseable as a URL (libpq accepts some such strings): mask whatever sits between ':' and '@'.
        return connectionString.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@]*@/i, `$1:${MASK}@`).replace(/(password=)[^&\s]*/gi, `$1${MASK}`);
    }
    if (url.password !== '')
        url.password = MASK;
    for (const key of [...url.searchParams.keys()]) {
        if (key.toLowerCase() === 'password')
            url.searchParams.set(key, MASK);
    }
    // URL percent-encodes the mask; show it as typed.
    return url.toString().replaceAll(encodeURIComponent(MASK), MASK);
}
/**
 * The secrets inside a connection string (the decoded and the raw password), for scrubbing them from
 * messages produced by the driver or the server. Passwords shorter than 4 characters are left out: masking
 * them would garble ordinary words in the messages, and such a password protects nothing anyway.
 */
export function connectionSecrets(connectionString) {
    const secrets = new Set();
    try {
        const url = new URL(connectionString);
        const add = (value) => {
            if (value.length >= 4)
                secrets.add(value);
            try {
                const decoded = decodeURIComponent(value);
                if (decoded.length >= 4)
                    secrets.add(decoded);
            }
            catch {
                // A malformed escape: the raw form is already in the set.
            }
        };
        add(url.password);
        for (const [key, value] of url.searchParams)
            if (key.toLowerCase() === 'password')
                add(value);
    }
    catch {
        const match = /^[a-z][a-z0-9+.-]*:\/\/[^:@/]*:([^@]*)@/i.exec(connectionString);
        if (match?.[1] && match[1].length >= 4)
            secrets.add(match[1]);
    }
    return [...secrets];
}
/** `text` with every secret replaced by `***`. */
export function scrubSecrets(text, secrets) {
    let scrubbed = text;
    for (const secret of secrets)
        scrubbed = scrubbed.replaceAll(secret, MASK);
    return scrubbed;
}
//# sourceMappingURL=postgres-connection.js.map