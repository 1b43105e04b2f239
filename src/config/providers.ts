/** The identity providers `init` writes a config for: the embedded development server, Logto, any other OpenID provider. */
export const PROVIDERS = ['embedded', 'logto', 'generic'] as const;

export type Provider = (typeof PROVIDERS)[number];
