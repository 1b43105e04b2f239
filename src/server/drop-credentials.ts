import type { IncomingMessage } from 'node:http';

/**
 * Removes the Authorization header from a request once the bearer check has turned it into an identity.
 * The MCP SDK rebuilds the headers it hands to tool handlers from `rawHeaders`, so both views are cleaned:
 * tools get the verified identity and never the credential.
 */
export function dropCredentials(req: IncomingMessage): void {
  delete req.headers.authorization;
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if (raw[i]!.toLowerCase() === 'authorization') raw.splice(i, 2);
  }
}
