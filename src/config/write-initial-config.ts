import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-file.js';
import type { ConfigFile } from './config-file-schema.js';
import { configFileSchema } from './config-file-schema.js';
import { DEFAULTS } from './defaults.js';
import type { Provider } from './providers.js';


/** What `init` fills into the templates. */
export interface InitialConfigValues {
  provider: Provider;
  /** Required for logto and generic. */
  issuer?: string;
  /** Default http://localhost:<port>. */
  resource: string;
  /** MCP endpoint for the CLI. Default http://localhost:<port>/mcp. */
  server: string;
  /** Pre-registered CLI client id; required for logto. */
  clientId?: string;
  /** Generic providers that use an audience parameter. */
  audience?: string;
  port: number;
}

/** `templates/` ships with the package, next to `dist/`. */
const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

function render(template: string, values: Record<string, string | number | undefined>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));
}

/** Drops empty string fields (e.g. no audience) so the file holds only what was chosen. */
function prune(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''));
}

/** Renders the config for a provider from `templates/` and validates it against the config schema. */
export async function renderInitialConfig(values: InitialConfigValues): Promise<{ config: ConfigFile; json: string; envExample: string }> {
  if (values.provider !== 'embedded' && !values.issuer) throw new ConfigError('config_invalid', `--issuer is required for --provider ${values.provider}.`);
  if (values.provider === 'logto' && !values.clientId) throw new ConfigError('config_invalid', '--client-id is required for --provider logto (the App ID of a Logto Native app).');
  if (values.provider === 'logto' && values.issuer && !new URL(values.issuer).pathname.replace(/\/+$/, '').endsWith('/oidc')) {
    throw new ConfigError('config_invalid', `A Logto issuer ends with /oidc (e.g. https://<tenant>.logto.app/oidc); got ${values.issuer}.`);
  }
  const template = await readFile(join(TEMPLATES_DIR, `todo-mcp.config.${values.provider}.json`), 'utf8');
  // Values are JSON-escaped before they enter the template, so a quote in a flag cannot change the file's shape.
  const escaped = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? JSON.stringify(v).slice(1, -1) : v]));
  const raw = prune(JSON.parse(render(template, escaped)) as Record<string, unknown>);
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError('config_invalid', `The values do not make a valid config:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const envTemplate = await readFile(join(TEMPLATES_DIR, 'env.example'), 'utf8');
  const envExample = render(envTemplate, { ...values, issuer: values.issuer ?? 'https://<tenant>.logto.app/oidc' });
  return { config: parsed.data, json: `${JSON.stringify(parsed.data, null, 2)}\n`, envExample };
}

/**
 * Writes `todo-mcp.config.json` and `.env.example` into `dir`. Without `force`, an existing file makes the
 * whole call fail before anything is written.
 */
export async function writeInitialConfig(dir: string, rendered: { json: string; envExample: string }, options: { force?: boolean } = {}): Promise<string[]> {
  const files: Array<[string, string]> = [
    [join(dir, DEFAULTS.configFile), rendered.json],
    [join(dir, '.env.example'), rendered.envExample],
  ];
  if (!options.force) {
    const existing: string[] = [];
    for (const [path] of files) {
      try {
        await readFile(path);
        existing.push(path);
      } catch {
        // absent: fine
      }
    }
    if (existing.length > 0) throw new ConfigError('config_exists', `Refusing to overwrite ${existing.join(' and ')}; pass --force to replace.`);
  }
  for (const [path, text] of files) {
    // 'wx' keeps the no-overwrite promise even if a file appeared since the check.
    await writeFile(path, text, { flag: options.force ? 'w' : 'wx', mode: 0o644 });
  }
  return files.map(([path]) => path);
}
