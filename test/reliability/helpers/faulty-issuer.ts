import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** How the JWKS endpoint behaves. Metadata is always served (the server discovers it at start). */
export type JwksMode =
  /** Serves every key made so far. */
  | 'up'
  /** 503 Service Unavailable. */
  | 'status-503'
  /** Accepts the request and never answers. */
  | 'hang'
  /** Drops the connection without an answer. */
  | 'reset'
  /** 200 with a body that is not JSON. */
  | 'garbage'
  /** 200 with JSON that is not a key set. */
  | 'not-a-key-set'
  /** Nothing listens on the port any more (connection refused). */
  | 'refused';

/** A real authorization server's key-publishing side, over HTTP on 127.0.0.1, whose JWKS endpoint can fail on demand. */
export interface FaultyIssuer {
  /** e.g. http://127.0.0.1:PORT/oidc */
  readonly issuer: string;
  /** JWKS requests that reached the issuer, whatever the mode. */
  readonly jwksRequests: number;
  /** The kid that signs by default (the newest). */
  readonly currentKid: string;
  setMode(mode: JwksMode): Promise<void>;
  /** A fresh token (unique jti, so never answered from a verifier's cache) signed by `kid` (default: current). */
  sign(claims: JWTPayload & { aud: string }, kid?: string): Promise<string>;
  /** Makes a new key current and publishes it (visible once the JWKS is up). */
  rotate(): Promise<string>;
  close(): Promise<void>;
}

export async function startFaultyIssuer(): Promise<FaultyIssuer> {
  const keys: Array<{ kid: string; privateKey: CryptoKey; publicJwk: JWK }> = [];
  async function makeKey(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
    const kid = `k${keys.length + 1}-${randomUUID().slice(0, 8)}`;
    keys.push({ kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' } });
    return kid;
  }
  await makeKey();

  let mode: JwksMode = 'up';
  let jwksRequests = 0;
  let issuer = '';
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/.well-known/oauth-authorization-server/oidc' || path === '/oidc/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
        }),
      );
      return;
    }
    if (path !== '/oidc/jwks') {
      res.writeHead(404).end();
      return;
    }
    jwksRequests += 1;
    switch (mode) {
      case 'hang':
        return; // the socket stays open until the client gives up or the issuer closes
      case 'reset':
        req.socket.destroy();
        return;
      case 'status-503':
        res.writeHead(503, { 'retry-after': '1' }).end('down for maintenance');
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": [ this is not json');
        return;
      case 'not-a-key-set':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": "none today"}');
        return;
      default:
        res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const stop = () => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  issuer = `http://127.0.0.1:${port}/oidc`;

  return {
    issuer,
    get jwksRequests() {
      return jwksRequests;
    },
    get currentKid() {
      return keys.at(-1)!.kid;
    },
    async setMode(next) {
      if (next === 'refused' && mode !== 'refused') await stop();
      if (next !== 'refused' && mode === 'refused') await listen(port);
      // Leaving 'hang': release whoever is still waiting, as a recovering server would.
      if (mode === 'hang' && next !== 'hang') for (const socket of sockets) socket.destroy();
      mode = next;
    },
    async sign(claims, kid) {
      const key = kid ? keys.find((k) => k.kid === kid) : keys.at(-1);
      if (!key) throw new Error(`no key ${kid}`);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, sub: 'user-1', iat: now, exp: now + 600, jti: randomUUID(), scope: '', client_id: 'faulty-test', ...claims })
        .setProtectedHeader({ alg: 'ES384', kid: key.kid, typ: 'at+jwt' })
        .sign(key.privateKey);
    },
    rotate: makeKey,
    async close() {
      if (mode !== 'refused') await stop();
    },
  };
}
