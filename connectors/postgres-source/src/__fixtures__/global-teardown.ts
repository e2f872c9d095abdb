import type { ThrowawayPostgres } from '../testing/throwaway-postgres';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { postgresSourceTestCluster?: ThrowawayPostgres };
  await holder.postgresSourceTestCluster?.stop();
  holder.postgresSourceTestCluster = undefined;
}
