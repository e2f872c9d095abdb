/**
 * Where a connector is generated. `workspace`: inside the @sdk monorepo, as `connectors/<name>`, using
 * the workspace's packages (`workspace:^`), catalog and shared TypeScript and jest settings.
 * `standalone`: anywhere else, as `./<name>`, a self-contained project depending on published versions.
 */
export type GenerationMode = 'workspace' | 'standalone';
