import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { createDb, migrateDb, type Db } from '../../src/lib/server/db';
import { mediaFilePath } from '../../src/lib/server/media/store';
import {
	applyRetention,
	backupHealth,
	downloadableBackup,
	listBackups,
	openBackupDownload,
	runBackup,
	runDueBackup,
	startBackup,
	type BackupSettings
} from '../../src/lib/server/backups';
import type { AuditActor } from '../../src/lib/server/audit';

const root = mkdtempSync(join(tmpdir(), 'xuexi-backups-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

/** A migrated database file of its own, with a sysadmin and the settings of its own backup folder. */
function setup(overrides: Partial<BackupSettings> = {}) {
	const dir = join(root, `case-${++count}`);
	mkdirSync(dir);
	const path = join(dir, 'app.db');
	const db = createDb(path);
	migrateDb(db);
	const adminId = db.$client
		.prepare(
			"INSERT INTO users (username, name, password_hash, role) VALUES ('admin', '系统管理员', 'x', 'sysadmin') RETURNING id"
		)
		.pluck()
		.get() as number;
	const actor: AuditActor = {
		id: adminId,
		name: '系统管理员',
		role: 'sysadmin',
		officeId: null,
		schoolId: null,
		ip: '10.0.0.8'
	};
	const settings: BackupSettings = {
		dir: join(dir, 'backups'),
		time: '03:30',
		keep: 14,
		mediaDir: join(dir, 'media'),
		...overrides
	};
	return { db, path, dir, actor, settings };
}

function auditRows(
	db: Db
): { action: string; actor_user_id: number | null; ip: string | null; target_id: string }[] {
	return db.$client
		.prepare(
			"SELECT action, actor_user_id, ip, target_id FROM audit_log WHERE action LIKE 'backup.%' ORDER BY id"
		)
		.all() as never;
}

/** Files in a folder, `media/` aside. */
const files = (dir: string) =>
	existsSync(dir)
		? readdirSync(dir)
				.filter((f) => f !== 'media')
				.sort()
		: [];

/** An instant given as Shanghai wall-clock time. */
const shanghai = (local: string) => new Date(`${local}+08:00`);

describe('a backup', () => {
	it('is a consistent copy of a database being written, checked ok, recorded with its size and audited', async () => {
		const { db, path, actor, settings } = setup();
		// ~40 MB, so the online backup takes several steps while another connection (as another
		// app process would) commits pairs of rows between them.
		db.$client.exec('CREATE TABLE filler (b BLOB); CREATE TABLE pairs (n INTEGER, half INTEGER)');
		const blob = Buffer.alloc(1 << 20, 7);
		db.$client.transaction(() => {
			for (let i = 0; i < 40; i++) db.$client.prepare('INSERT INTO filler VALUES (?)').run(blob);
		})();
		const other = createDb(path);
		const pair = other.$client.transaction((n: number) => {
			other.$client.prepare('INSERT INTO pairs VALUES (?, 1)').run(n);
			other.$client.prepare('INSERT INTO pairs VALUES (?, 2)').run(n);
		});
		let writing = true;
		let written = 0;
		const writer = (async () => {
			while (writing) {
				pair(++written);
				await new Promise((r) => setImmediate(r));
			}
		})();

		const result = await runBackup(db, { kind: 'manual', actor, settings });
		writing = false;
		await writer;
		other.$client.close();

		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(written).toBeGreaterThan(0);
		expect(result.fileName).toMatch(/^app-\d{8}-\d{6}\.db$/);
		// Only the finished file: no part file, no WAL beside it.
		expect(files(settings.dir)).toEqual([result.fileName]);
		const copy = new Database(join(settings.dir, result.fileName), { readonly: true });
		expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
		expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
		expect(copy.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(40);
		// Every transaction is in the copy whole or not at all.
		const halves = copy.prepare('SELECT n, count(*) AS c FROM pairs GROUP BY n HAVING c <> 2').all();
		expect(halves).toEqual([]);
		expect(copy.prepare("SELECT username FROM users WHERE role = 'sysadmin'").pluck().get()).toBe('admin');
		copy.close();

		const [row] = listBackups(db);
		expect(row).toMatchObject({
			kind: 'manual',
			status: 'ok',
			requestedByName: '系统管理员',
			fileName: result.fileName,
			integrity: 'ok',
			error: null,
			sizeBytes: result.sizeBytes
		});
		expect(row!.sizeBytes!).toBeGreaterThan(40 << 20);
		expect(auditRows(db)).toEqual([
			{ action: 'backup.create', actor_user_id: actor.id, ip: '10.0.0.8', target_id: String(row!.id) }
		]);
		expect(backupHealth(db)).toBe('ok');
	});

	it('copies the media files the database refers to, each once, beside the backups', async () => {
		const { db, actor, settings } = setup();
		const bytes = Buffer.from('%PDF-1.4 讲义');
		const sha256 = createHash('sha256').update(bytes).digest('hex');
		mkdirSync(dirname(mediaFilePath(sha256, settings.mediaDir!)), { recursive: true });
		writeFileSync(mediaFilePath(sha256, settings.mediaDir!), bytes);
		db.$client
			.prepare(
				`INSERT INTO media (sha256, kind, mime, size, file_name, uploaded_by, uploaded_at)
				VALUES (?, 'pdf', 'application/pdf', ?, '讲义.pdf', ?, 0)`
			)
			.run(sha256, bytes.length, actor.id);
		const first = await runBackup(db, { kind: 'manual', actor, settings });
		expect(first).toMatchObject({ ok: true, mediaCopied: 1 });
		expect(readFileSync(mediaFilePath(sha256, join(settings.dir, 'media')))).toEqual(bytes);
		expect(await runBackup(db, { kind: 'manual', actor, settings })).toMatchObject({
			ok: true,
			mediaCopied: 0
		});
	});

	it('copies the 宣讲 photos and their thumbnails too', async () => {
		const { db, actor, settings } = setup();
		const files = [Buffer.from('photo'), Buffer.from('thumb')].map((bytes) => {
			const sha256 = createHash('sha256').update(bytes).digest('hex');
			mkdirSync(dirname(mediaFilePath(sha256, settings.mediaDir!)), { recursive: true });
			writeFileSync(mediaFilePath(sha256, settings.mediaDir!), bytes);
			return { sha256, bytes };
		});
		const officeId = db.$client
			.prepare("INSERT INTO offices (name, code) VALUES ('离石区人大常委会', 'lishi') RETURNING id")
			.pluck()
			.get();
		const talkId = db.$client
			.prepare(
				`INSERT INTO outreach_talks (office_id, recorded_by, created_at, updated_at) VALUES (?, ?, 0, 0)`
			)
			.run(officeId, actor.id).lastInsertRowid;
		db.$client
			.prepare(
				`INSERT INTO outreach_photos (talk_id, position, sha256, thumb_sha256, width, height, size, uploaded_by, uploaded_at)
				VALUES (?, 1, ?, ?, 4, 3, 5, ?, 0)`
			)
			.run(talkId, files[0]!.sha256, files[1]!.sha256, actor.id);
		expect(await runBackup(db, { kind: 'manual', actor, settings })).toMatchObject({
			ok: true,
			mediaCopied: 2
		});
		for (const { sha256, bytes } of files)
			expect(readFileSync(mediaFilePath(sha256, join(settings.dir, 'media')))).toEqual(bytes);
	});

	it('that fails is recorded with its message, says so in health, and leaves nothing written', async () => {
		// BACKUP_DIR below a plain file: the folder cannot be made (even as root).
		const { db, dir, actor, settings } = setup();
		writeFileSync(join(dir, 'not-a-folder'), 'x');
		const unwritable = { ...settings, dir: join(dir, 'not-a-folder', 'backups') };
		const result = await runDueBackup(db, shanghai('2026-03-02T03:31:00'), unwritable);
		expect(result).toMatchObject({ ok: false });
		const [row] = listBackups(db);
		expect(row).toMatchObject({ kind: 'scheduled', status: 'failed', fileName: null, sizeBytes: null });
		expect(row!.error).toMatch(/^备份失败：.*ENOTDIR/);
		expect(row!.finishedAt).not.toBeNull();
		expect(backupHealth(db, shanghai('2026-03-02T03:40:00'))).toBe('failed');

		// A failure after the copy was made (a media file missing): the copy goes too.
		const sha256 = 'ab'.repeat(32);
		db.$client
			.prepare(
				`INSERT INTO media (sha256, kind, mime, size, file_name, uploaded_by, uploaded_at)
				VALUES (?, 'pdf', 'application/pdf', 1, '丢失.pdf', ?, 0)`
			)
			.run(sha256, actor.id);
		const lost = await runBackup(db, { kind: 'manual', actor, settings });
		expect(lost).toMatchObject({ ok: false });
		expect(listBackups(db)[0]!.error).toMatch(/ENOENT/);
		expect(files(settings.dir)).toEqual([]);
		expect(
			readdirSync(join(settings.dir, 'media'), { recursive: true }).filter((f) => String(f).endsWith('.part'))
		).toEqual([]);
		// Neither can be downloaded.
		for (const b of listBackups(db)) expect(await downloadableBackup(db, b.id, settings)).toBeNull();
	});
});

describe('the schedule', () => {
	it('runs once BACKUP_TIME has passed in Shanghai, once a day', async () => {
		const { db, settings } = setup({ time: '03:30' });
		expect(await runDueBackup(db, shanghai('2026-03-02T03:29:00'), settings)).toBeNull();
		expect(listBackups(db)).toEqual([]);
		expect(backupHealth(db, shanghai('2026-03-02T03:29:00'))).toBe('none');
		expect(await runDueBackup(db, shanghai('2026-03-02T03:30:00'), settings)).toMatchObject({ ok: true });
		expect(await runDueBackup(db, shanghai('2026-03-02T23:59:00'), settings)).toBeNull();
		expect(listBackups(db).map((b) => [b.kind, b.scheduledDay])).toEqual([['scheduled', '2026-03-02']]);
		// The next day's 03:30 in Shanghai is 19:30 UTC the day before.
		expect(await runDueBackup(db, new Date('2026-03-02T19:29:00Z'), settings)).toBeNull();
		expect(await runDueBackup(db, new Date('2026-03-02T19:30:00Z'), settings)).toMatchObject({ ok: true });
		expect(listBackups(db).map((b) => b.scheduledDay)).toEqual(['2026-03-03', '2026-03-02']);
		// Backups finish at the real time: 27 hours on, none succeeded in the last 26.
		expect(backupHealth(db, new Date())).toBe('ok');
		expect(backupHealth(db, new Date(Date.now() + 27 * 3_600_000))).toBe('overdue');
	});

	it('keeps the newest BACKUP_KEEP scheduled backups, removing older files; manual ones stay', async () => {
		const { db, actor, settings } = setup({ keep: 2 });
		const manual = await runBackup(db, {
			kind: 'manual',
			actor,
			settings,
			now: shanghai('2026-03-01T10:00:00')
		});
		for (const day of ['02', '03', '04', '05'])
			expect(await runDueBackup(db, shanghai(`2026-03-${day}T04:00:00`), settings)).toMatchObject({
				ok: true
			});
		const rows = listBackups(db);
		expect(rows.map((b) => [b.scheduledDay, b.status])).toEqual([
			['2026-03-05', 'ok'],
			['2026-03-04', 'ok'],
			['2026-03-03', 'removed'],
			['2026-03-02', 'removed'],
			[null, 'ok']
		]);
		const kept = rows.filter((b) => b.status === 'ok').map((b) => b.fileName!);
		expect(files(settings.dir)).toEqual(kept.sort());
		expect(manual.ok && kept).toContain(manual.ok ? manual.fileName : '');
		// A removed one is no longer offered.
		expect(await downloadableBackup(db, rows[2]!.id, settings)).toBeNull();
		// Nothing more to remove.
		expect(await applyRetention(db, settings)).toBe(0);
	});

	it('two processes claiming the same day run it once', async () => {
		const { db, path, settings } = setup();
		db.$client.close();
		const run = promisify(execFile);
		const env = {
			...process.env,
			DATABASE_URL: path,
			BACKUP_DIR: settings.dir,
			MEDIA_DIR: settings.mediaDir!,
			BACKUP_TIME: '00:00'
		};
		const outputs = await Promise.all(
			[1, 2].map(() => run('npx', ['tsx', 'scripts/backup.ts', '--scheduled'], { env, encoding: 'utf8' }))
		);
		const said = outputs.map((o) => o.stdout).join('\n');
		expect(said.match(/备份完成/g)).toHaveLength(1);
		expect(said).toContain('已由其他进程完成');
		const check = createDb(path);
		const rows = listBackups(check);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ kind: 'scheduled', status: 'ok', integrity: 'ok' });
		expect(files(settings.dir)).toEqual([rows[0]!.fileName]);
		// Scheduled backups are the system's: no audit entry.
		expect(auditRows(check)).toEqual([]);
		check.$client.close();
	});
});

describe('manual backups and downloads', () => {
	it('refuses a second backup while one runs, audits nothing for it, and audits each download', async () => {
		const { db, actor, settings } = setup();
		const first = startBackup(db, { kind: 'manual', actor, settings });
		expect(first.ok).toBe(true);
		const second = startBackup(db, { kind: 'manual', actor, settings });
		expect(second).toEqual({ ok: false, error: '已有一个备份正在进行，请等它完成后再试' });
		const done = first.ok ? await first.done : null;
		expect(done).toMatchObject({ ok: true });
		expect(auditRows(db).map((r) => r.action)).toEqual(['backup.create']);

		const backup = (await downloadableBackup(db, done!.id, settings))!;
		expect(backup.fileName).toBe(done!.ok ? done!.fileName : '');
		const body = Buffer.from(await new Response(openBackupDownload(db, actor, backup)).arrayBuffer());
		expect(body.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000');
		expect(body.length).toBe(backup.sizeBytes);
		expect(auditRows(db)).toEqual([
			{ action: 'backup.create', actor_user_id: actor.id, ip: '10.0.0.8', target_id: String(done!.id) },
			{ action: 'backup.download', actor_user_id: actor.id, ip: '10.0.0.8', target_id: String(done!.id) }
		]);
		expect(await downloadableBackup(db, 999, settings)).toBeNull();
	});
});
