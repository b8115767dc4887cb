// npm run db:seed — idempotent demo data (offices, schools, demo accounts, cadres).
import { createDb, DEFAULT_DATABASE_URL, migrateDb } from '../src/lib/server/db';
import { seedDemo } from '../src/lib/server/seed/demo';

const path = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const db = createDb(path);
migrateDb(db);
const summary = await seedDemo(db);
console.log(`演示数据已就绪（${path}）：${summary}`);
