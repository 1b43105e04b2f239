import { listAllTools } from '../client/list-all-tools.js';
import { withMcpSession } from '../client/mcp-session.js';
import { resolveClientEnvironment } from './client-settings.js';
import { toCliError } from './client-errors.js';
import { painter } from './client-format.js';
import { sessionLogin } from './client-login-flow.js';
import { EXIT } from './cli-error.js';
/** `todo-mcp tools`: names, descriptions and input schemas of the server's tools. */
export async function toolsCommand(options, ctx) {
    const env = await resolveClientEnvironment(options, ctx, options.serverArg);
    let tools;
    try {
        tools = await withMcpSession({
            serverUrl: env.serverUrl,
            store: env.store,
            ...(options.login === false ? {} : { login: sessionLogin(env, options, ctx, painter(ctx.stderr)) }),
        }, (client) => listAllTools(client));
    }
    catch (error) {
        throw toCliError(error, env.serverUrl);
    }
    if (options.json) {
        const list = tools.map(({ name, title, description, inputSchema }) => ({ name, title, description, inputSchema }));
        ctx.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    }
    else {
        const paint = painter(ctx.stdout);
        ctx.stdout.write(`${tools.flatMap((tool) => describeTool(tool, paint)).join('\n')}\n`);
    }
    return EXIT.ok;
}
function describeTool(tool, paint) {
    const schema = tool.inputSchema;
    const required = new Set(schema.required ?? []);
    const args = Object.entries(schema.properties ?? {}).map(([name, property]) => {
        const type = Array.isArray(property.type) ? property.type.join('|') : String(property.type ?? 'any');
        const description = typeof property.description === 'string' ? `  ${property.description}` : '';
        return `    ${name}=<${type}>${required.has(name) ? '' : ' (optional)'}${description}`;
    });
    return [paint.bold(tool.name), ...(tool.description ? [`  ${tool.description}`] : []), ...(args.length ? ['  arguments:', ...args] : ['  no arguments']), ''];
}
//# sourceMappingURL=tools.js.map