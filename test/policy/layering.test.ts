import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../../src/policy/scopes.js';

/*
 * Issue 17: the scope/role policy is defined once (src/policy) and fed to everything, and the client side
 * never reaches into the server side. Read from the sources, so a new import or a copied scope literal
 * fails here.
 */
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(SRC, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The src/ folders a file imports from (`../server/x.js` → `server`), relative imports only. */
function importedFolders(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const folders = new Set<string>();
  for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
    const target = relative(SRC, join(SRC, file, '..', specifier!));
    folders.add(target.split('/')[0]!);
  }
  return [...folders];
}

describe('layers', () => {
  it('the client side (client/, bridge/, oauth/) imports nothing from the server side (server/, auth/, store/, dev-auth/)', () => {
    const serverSide = ['server', 'auth', 'store', 'dev-auth'];
    const crossings = ['client', 'bridge', 'oauth'].flatMap((folder) =>
      sources(folder).flatMap((file) => importedFolders(file).filter((target) => serverSide.includes(target)).map((target) => `${file} → ${target}/`)),
    );
    expect(crossings).toEqual([]);
  });

  it('the scope names are written in src/policy only; everything else imports them', () => {
    expect(ALL_SCOPES.length).toBeGreaterThan(0);
    const copies = sources('.')
      .filter((file) => !file.startsWith('policy/'))
      .flatMap((file) => {
        // Code only: a comment may show an example challenge.
        const text = readFileSync(join(SRC, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
        return ALL_SCOPES.filter((scope) => text.includes(`'${scope}'`) || text.includes(`"${scope}"`)).map((scope) => `${file}: ${scope}`);
      });
    expect(copies).toEqual([]);
  });
});
