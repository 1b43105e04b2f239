import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
/** The config file `todo-mcp init` writes; flags and environment variables override each field. */
export const CONFIG_FILE_NAME = 'todo-mcp.config.json';
const url = z.string().url();
export const configFileSchema = z
    .object({
    $schema: z.string().optional(),
    /** Authorization server issuer; absent = the embedded development server. */
    issuer: url.optional(),
    /** Resource identifier of the MCP server (the API resource indicator at the provider). */
    resource: url.optional(),
    /** MCP endpoint the CLI talks to. */
    server: url.optional(),
    /** Pre-registered client id for `todo-mcp login` (e.g. a Logto native app). */
    clientId: z.string().min(1).optional(),
    /** For providers that take an `audience` parameter instead of RFC 8707 `resource`. */
    audience: z.string().min(1).optional(),
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().min(1).optional(),
    authPort: z.number().int().min(0).max(65535).optional(),
    data: z.string().min(1).optional(),
    /** Where todos live: a postgres:// URL (shared by replicas) or a JSON file path (like `data`). */
    store: z.string().min(1).optional(),
    allowedOrigins: z.array(url).optional(),
    stateless: z.boolean().optional(),
})
    .strict();
export class ConfigError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ConfigError';
    }
}
/**
 * Reads and validates the config file. An explicitly named file must exist; the default
 * `./todo-mcp.config.json` is optional. Relative paths inside it stay relative to the file's directory.
 */
export async function loadConfigFile(options) {
    const explicit = options.path !== undefined;
    const path = resolve(options.cwd, options.path ?? CONFIG_FILE_NAME);
    let text;
    try {
        text = await readFile(path, 'utf8');
    }
    catch (error) {
        if (!explicit && error.code === 'ENOENT')
            return { config: {} };
        throw new ConfigError(`Cannot read the config file ${path}: ${error.message}`);
    }
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch (error) {
        throw new ConfigError(`The config file ${path} is not valid JSON: ${error.message}`);
    }
    const parsed = configFileSchema.safeParse(raw);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
        throw new ConfigError(`The config file ${path} is invalid:\n${problems.join('\n')}`);
    }
    const config = parsed.data;
    if (config.data)
        config.data = resolve(path, '..', config.data);
    if (config.store && !/^[a-z][a-z0-9+.-]*:\/\//i.test(config.store))
        config.store = resolve(path, '..', config.store);
    return { path, config };
}
//# sourceMappingURL=config-file.js.map