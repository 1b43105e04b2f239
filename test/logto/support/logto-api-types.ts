import type { createApiClient } from '@logto/api/management';
import type { Client } from 'openapi-fetch';

/** `paths` of `@logto/api` (the package does not export it by name; its client type carries it). */
export type Paths = ReturnType<typeof createApiClient> extends Client<infer P> ? P : never;

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;

/** The JSON a Management API operation answers with on success (200 or 201), as `@logto/api` types it. */
export type Answer<P extends keyof Paths, M extends 'get' | 'post' | 'patch'> = Paths[P][M] extends { responses: infer R }
  ? Json<R[200 & keyof R]> | Json<R[201 & keyof R]>
  : never;

export type ResourceRow = Answer<'/api/resources/{id}', 'get'>;
export type ScopeRow = Answer<'/api/resources/{resourceId}/scopes', 'post'>;
export type RoleRow = Answer<'/api/roles/{id}', 'get'>;
/** A row of the application list (GetApplication adds `isAdmin` and `appLevelAccessControlEnabled`). */
export type ApplicationRow = Answer<'/api/applications', 'get'>[number];
export type UserRow = Answer<'/api/users/{userId}', 'get'>;
