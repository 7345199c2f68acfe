/**
 * One-shot: applies migrations (and, with SEED_DEMO=true, the demo workspace). docker-compose runs
 * it before the worker and API; `npm start` does the same in-process.
 */
import { z } from 'zod';
import { connectDb } from './client.js';
import { migrateDatabase } from './migrate.js';
import { seedDemo } from './seed-demo.js';

const config = z
  .object({ DATABASE_URL: z.string().url(), SEED_DEMO: z.enum(['true', 'false']).default('false') })
  .parse(process.env);

await migrateDatabase(config.DATABASE_URL);
console.log('[migrate] migrations applied');
if (config.SEED_DEMO === 'true') {
  const db = connectDb(config.DATABASE_URL, { max: 1 });
  const demo = await seedDemo(db.db);
  await db.close();
  console.log(`[migrate] demo workspace ready: ${demo.email} / ${demo.password}`);
}
