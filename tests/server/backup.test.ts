import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { createDb, migrateDb } from '../../src/lib/server/db';
import { mediaFilePath } from '../../src/lib/server/media/store';

const root = mkdtempSync(join(tmpdir(), 'xuexi-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function runBackup(database: string, dest: string): string {
	return execFileSync('npx', ['tsx', 'scripts/backup.ts', dest], {
		env: { ...process.env, DATABASE_URL: database, MEDIA_DIR: join(root, 'media') },
		encoding: 'utf8'
	});
}

describe('npm run db:backup', () => {
	it('copies the database and the media files it refers to, each file once', () => {
		const database = join(root, 'app.db');
		const db = createDb(database);
		migrateDb(db);
		const bytes = Buffer.from('%PDF-1.4 讲义');
		const sha256 = createHash('sha256').update(bytes).digest('hex');
		const stored = mediaFilePath(sha256, join(root, 'media'));
		mkdirSync(dirname(stored), { recursive: true });
		writeFileSync(stored, bytes);
		const user = db.$client
			.prepare("INSERT INTO users (username, name, password_hash) VALUES ('a', '甲', 'x') RETURNING id")
			.pluck()
			.get();
		db.$client
			.prepare(
				`INSERT INTO media (sha256, kind, mime, size, file_name, uploaded_by, uploaded_at)
				VALUES (?, 'pdf', 'application/pdf', ?, '讲义.pdf', ?, 0)`
			)
			.run(sha256, bytes.length, user);
		db.$client.close();

		const first = runBackup(database, join(root, 'backups'));
		expect(first).toContain('本次新复制 1 个');
		const copy = mediaFilePath(sha256, join(root, 'backups', 'media'));
		expect(readFileSync(copy)).toEqual(bytes);
		const one = /备份完成：(\S+\.db)/.exec(first)![1]!;
		const restored = new Database(one, { readonly: true });
		expect(restored.prepare('SELECT file_name FROM media').pluck().get()).toBe('讲义.pdf');
		restored.close();

		// A second backup into the same folder shares the files already there.
		const second = runBackup(database, join(root, 'backups'));
		expect(second).toContain('本次新复制 0 个');
		expect(existsSync(/备份完成：(\S+\.db)/.exec(second)![1]!)).toBe(true);
		// Both are recorded, so the sysadmin's page lists them.
		const recorded = new Database(database, { readonly: true });
		expect(
			recorded.prepare("SELECT count(*) FROM backups WHERE error IS NULL AND integrity = 'ok'").pluck().get()
		).toBe(2);
		recorded.close();
	});
});
