import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_FILE_NAME, ConfigError, configFileSchema } from './config-file.js';
export const PROVIDERS = ['embedded', 'logto', 'generic'];
/** `templates/` ships with the package, next to `dist/`. */
const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
function render(template, values) {
    return template.replace(/\{\{(\w+)\}\}/g, (_, key) => String(values[key] ?? ''));
}
/** Drops empty string fields (e.g. no audience) so the file holds only what was chosen. */
function prune(raw) {
    return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''));
}
/** Renders the config for a provider from `templates/` and validates it against the config schema. */
export async function renderInitialConfig(values) {
    if (values.provider !== 'embedded' && !values.issuer)
        throw new ConfigError(`--issuer is required for --provider ${values.provider}.`);
    if (values.provider === 'logto' && !values.clientId)
        throw new ConfigError('--client-id is required for --provider logto (the App ID of a Logto Native app).');
    if (values.provider === 'logto' && values.issuer && !new URL(values.issuer).pathname.replace(/\/+$/, '').endsWith('/oidc')) {
        throw new ConfigError(`A Logto issuer ends with /oidc (e.g. https://<tenant>.logto.app/oidc); got ${values.issuer}.`);
    }
    const template = await readFile(join(TEMPLATES_DIR, `todo-mcp.config.${values.provider}.json`), 'utf8');
    // Values are JSON-escaped before they enter the template, so a quote in a flag cannot change the file's shape.
    const escaped = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? JSON.stringify(v).slice(1, -1) : v]));
    const raw = prune(JSON.parse(render(template, escaped)));
    const parsed = configFileSchema.safeParse(raw);
    if (!parsed.success) {
        throw new ConfigError(`The values do not make a valid config:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
    }
    const envTemplate = await readFile(join(TEMPLATES_DIR, 'env.example'), 'utf8');
    const envExample = render(envTemplate, { ...values, issuer: values.issuer ?? 'https://<tenant>.logto.app/oidc' });
    return { config: parsed.data, json: `${JSON.stringify(parsed.data, null, 2)}\n`, envExample };
}
/**
 * Writes `todo-mcp.config.json` and `.env.example` into `dir`. Without `force`, an existing file makes the
 * whole call fail before anything is written.
 */
export async function writeInitialConfig(dir, rendered, options = {}) {
    const files = [
        [join(dir, CONFIG_FILE_NAME), rendered.json],
        [join(dir, '.env.example'), rendered.envExample],
    ];
    if (!options.force) {
        const existing = [];
        for (const [path] of files) {
            try {
                await readFile(path);
                existing.push(path);
            }
            catch {
                // absent: fine
            }
        }
        if (existing.length > 0)
            throw new ConfigError(`Refusing to overwrite ${existing.join(' and ')}; pass --force to replace.`);
    }
    for (const [path, text] of files) {
        // 'wx' keeps the no-overwrite promise even if a file appeared since the check.
        await writeFile(path, text, { flag: options.force ? 'w' : 'wx', mode: 0o644 });
    }
    return files.map(([path]) => path);
}
//# sourceMappingURL=write-initial-config.js.map