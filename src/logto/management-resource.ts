/**
 * The Management API indicator of a tenant: `https://<tenant-id>.logto.app/api` on Logto Cloud; a self-hosted
 * Logto's only tenant is `default`, hence `https://default.logto.app/api` (whatever its own address).
 */
export function defaultManagementResource(endpoint: string): string {
  const host = new URL(endpoint).hostname;
  const cloud = /^([a-z0-9-]+)\.logto\.app$/i.exec(host);
  return `https://${cloud ? cloud[1]!.toLowerCase() : 'default'}.logto.app/api`;
}
