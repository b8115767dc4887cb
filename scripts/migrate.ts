// npm run db:migrate — applies pending migrations to DATABASE_URL (default data/app.db).
import { createDb, DEFAULT_DATABASE_URL, migrateDb } from '../src/lib/server/db';

const path = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
migrateDb(createDb(path));
console.log(`已应用全部迁移：${path}`);
