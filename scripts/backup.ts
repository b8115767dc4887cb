// npm run db:backup [-- --scheduled] [dest-folder] — a consistent copy via SQLite's online backup,
// safe while the app runs, with the uploaded media it refers to in `media/` beside it; checked with
// `PRAGMA integrity_check` and recorded in the database, so the sysadmin's page (/admin/backups)
// lists it. The folder is BACKUP_DIR (default `backups/` beside the database) unless one is given.
// `--scheduled` runs today's scheduled backup if BACKUP_TIME has passed and no process has claimed
// it yet (as the app's sweeper does each minute): for a machine where cron runs it instead.
import { resolve } from 'node:path';
import { createDb, DEFAULT_DATABASE_URL } from '../src/lib/server/db';
import { backupSettings, runBackup, runDueBackup } from '../src/lib/server/backups';

const args = process.argv.slice(2);
const scheduled = args.includes('--scheduled');
const folder = args.find((a) => !a.startsWith('--'));
const settings = { ...backupSettings(), ...(folder ? { dir: resolve(folder) } : {}) };
const db = createDb(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);

const result = scheduled
	? await runDueBackup(db, new Date(), settings)
	: await runBackup(db, { kind: 'manual', actor: null, settings });
db.$client.close();

if (!result) {
	console.log(`今天的定时备份还没到时间（${settings.time}）或已由其他进程完成`);
} else if (result.ok) {
	console.log(
		`备份完成：${resolve(settings.dir, result.fileName)}（${(result.sizeBytes / 1048576).toFixed(1)} MB，完整性检查通过）`
	);
	console.log(`素材：本次新复制 ${result.mediaCopied} 个文件，位于 ${resolve(settings.dir, 'media')}`);
} else {
	console.error(result.error);
	process.exitCode = 1;
}
