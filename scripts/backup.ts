// npm run db:backup [dest] — a consistent copy via SQLite's online backup, safe while the app runs,
// and the uploaded media it refers to, copied into `media/` beside it.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createDb, DEFAULT_DATABASE_URL } from '../src/lib/server/db';
import { mediaFilePath } from '../src/lib/server/media/store';

const source = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const dest = resolve(process.argv[2] ?? `backups/app-${stamp}.db`);
mkdirSync(dirname(dest), { recursive: true });
const db = createDb(source);
await db.$client.backup(dest);
// Read from the source (opening the copy would leave WAL files beside it); a file uploaded
// since the backup is copied too, which is harmless.
const hashes = db.$client.prepare('SELECT DISTINCT sha256 FROM media').pluck().all() as string[];
db.$client.close();
console.log(`备份完成：${dest}`);

// Media files are named by their SHA-256 and never change, so each is copied once: backups
// made into the same folder share `media/` and later ones copy only what is new.
const target = resolve(dirname(dest), 'media');
let copied = 0;
for (const sha256 of hashes) {
	const to = mediaFilePath(sha256, target);
	if (existsSync(to)) continue;
	mkdirSync(dirname(to), { recursive: true });
	copyFileSync(mediaFilePath(sha256), to);
	copied++;
}
if (hashes.length) console.log(`素材：${hashes.length} 个文件，本次新复制 ${copied} 个，位于 ${target}`);
