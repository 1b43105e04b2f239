import { z } from 'zod';
import { LOG_FORMATS, LOG_LEVELS } from '../log/logger.js';
import { DEFAULTS } from './defaults.js';

/** The config file's schema, in a module of its own: zod loads only when a config file is actually read. */

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
    /** Most connections `serve` keeps to PostgreSQL (`--pg-pool`). */
    pgPool: z.number().int().min(1).max(DEFAULTS.pgPoolSizeMax).optional(),
    allowedOrigins: z.array(url).optional(),
    stateless: z.boolean().optional(),
    /** Least severe log level written (`silent`: no log). */
    logLevel: z.enum(LOG_LEVELS).optional(),
    /** `json` lines or `pretty` lines; absent: pretty on a terminal, else JSON. */
    logFormat: z.enum(LOG_FORMATS).optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;
