import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerMetadata } from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveClient, secretAuthMethod } from '../../src/client/register-client.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A registration endpoint that records requests and answers `answer`. */
async function registrar(status: number, answer: Record<string, unknown>) {
  const bodies: Record<string, unknown>[] = [];
  const server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    bodies.push(JSON.parse(text));
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/register`, bodies };
}

const base = (extra: Partial<ServerMetadata> = {}): ServerMetadata => ({ issuer: 'https://as', ...extra });
const redirectUri = 'http://127.0.0.1:5000/callback';

describe('client resolution: pre-registered → Client ID Metadata Document → DCR → explain', () => {
  it('a pre-registered id wins; with a secret it uses a method the server supports', async () => {
    const reg = await registrar(201, { client_id: 'never' });
    const metadata = base({ registration_endpoint: reg.url, client_id_metadata_document_supported: true, token_endpoint_auth_methods_supported: ['client_secret_post'] });
    expect(await resolveClient({ issuer: 'https://as', metadata, redirectUri, preRegistered: { clientId: 'mine' }, metadataDocumentUrl: 'https://me/cimd.json' })).toEqual({ kind: 'pre-registered', clientId: 'mine', authMethod: 'none' });
    expect(await resolveClient({ issuer: 'https://as', metadata, redirectUri, preRegistered: { clientId: 'mine', clientSecret: 's' } })).toMatchObject({ authMethod: 'client_secret_post', clientSecret: 's' });
    expect(reg.bodies).toEqual([]);
  });

  it('uses the metadata document URL as client id only when the server supports it', async () => {
    const reg = await registrar(201, { client_id: 'dyn' });
    const cimd = await resolveClient({ issuer: 'https://as', metadata: base({ client_id_metadata_document_supported: true, registration_endpoint: reg.url }), redirectUri, metadataDocumentUrl: 'https://me/cimd.json' });
    expect(cimd).toEqual({ kind: 'metadata-document', clientId: 'https://me/cimd.json', authMethod: 'none' });
    const dcr = await resolveClient({ issuer: 'https://as', metadata: base({ registration_endpoint: reg.url }), redirectUri, metadataDocumentUrl: 'https://me/cimd.json' });
    expect(dcr).toMatchObject({ kind: 'dynamic', clientId: 'dyn' });
  });

  it('registers a native public client with the loopback redirect, and reuses a fitting earlier registration', async () => {
    const reg = await registrar(201, { client_id: 'dyn-1' });
    const metadata = base({ registration_endpoint: reg.url });
    const first = await resolveClient({ issuer: 'https://as', metadata, redirectUri });
    expect(first).toEqual({ kind: 'dynamic', clientId: 'dyn-1', authMethod: 'none', redirectUri, grantTypes: ['authorization_code', 'refresh_token'] });
    expect(reg.bodies[0]).toMatchObject({ application_type: 'native', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none', response_types: ['code'] });
    expect(reg.bodies[0]).not.toHaveProperty('scope');
    expect(await resolveClient({ issuer: 'https://as', metadata, redirectUri, previous: first })).toBe(first);
    await resolveClient({ issuer: 'https://as', metadata, redirectUri: 'http://127.0.0.1:6000/callback', previous: first });
    expect(reg.bodies).toHaveLength(2);
  });

  it('honours the auth method and secret the registration answer gives', async () => {
    const reg = await registrar(201, { client_id: 'c', client_secret: 's', token_endpoint_auth_method: 'client_secret_basic' });
    expect(await resolveClient({ issuer: 'https://as', metadata: base({ registration_endpoint: reg.url }), redirectUri })).toMatchObject({ clientSecret: 's', authMethod: 'client_secret_basic' });
    // A secret without a method: what the server's metadata supports (here only "none").
    const bare = await registrar(201, { client_id: 'c', client_secret: 's' });
    expect(await resolveClient({ issuer: 'https://as', metadata: base({ registration_endpoint: bare.url, token_endpoint_auth_methods_supported: ['none'] }), redirectUri })).toEqual(expect.objectContaining({ authMethod: 'none' }));
    expect(secretAuthMethod(undefined)).toBe('client_secret_basic');
  });

  it('explains how to register when the server offers no way, and reports a refused registration', async () => {
    await expect(resolveClient({ issuer: 'https://as', metadata: base(), redirectUri })).rejects.toMatchObject({
      code: 'registration_required',
      message: expect.stringContaining('--client-id'),
    });
    await expect(resolveClient({ issuer: 'https://as', metadata: base({ client_id_metadata_document_supported: true }), redirectUri })).rejects.toMatchObject({
      message: expect.stringContaining('--client-metadata-url'),
    });
    const refused = await registrar(400, { error: 'invalid_client_metadata', error_description: 'nope' });
    await expect(resolveClient({ issuer: 'https://as', metadata: base({ registration_endpoint: refused.url }), redirectUri })).rejects.toMatchObject({
      code: 'registration_required',
      message: expect.stringContaining('invalid_client_metadata: nope'),
    });
  });
});
