// npm run db:backup [dest] — a consistent copy via SQLite's online backup, safe while the app runs.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createDb, DEFAULT_DATABASE_URL } from '../src/lib/server/db';

const source = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const dest = resolve(process.argv[2] ?? `backups/app-${stamp}.db`);
mkdirSync(dirname(dest), { recursive: true });
const db = createDb(source);
await db.$client.backup(dest);
db.$client.close();
console.log(`备份完成：${dest}`);
