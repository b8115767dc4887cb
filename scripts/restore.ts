// npm run db:restore -- --to <新路径> [--at <ISO 时间>]
// Restores DATABASE_URL's database from its Litestream replica (configured by the same REPLICA_*
// variables as `npm start`) into a new file, latest or as of a time, and checks the copy
// (integrity_check, migrations). Never overwrites a file. Exit code 1 on any failure.
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, migrationsFolder } from '../src/lib/server/db';
import { restoreDatabase } from '../src/lib/server/replication/restore';

const USAGE = '用法：npm run db:restore -- --to <新数据库路径> [--at <时间，如 2026-03-01T09:30:00+08:00>]';

let values;
try {
	({ values } = parseArgs({
		options: { to: { type: 'string' }, at: { type: 'string' }, help: { type: 'boolean', short: 'h' } }
	}));
} catch (err) {
	console.error(`${(err as Error).message}\n${USAGE}`);
	process.exit(1);
}
if (values.help || !values.to) {
	console.log(USAGE);
	process.exit(values.help ? 0 : 1);
}

const databasePath = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const result = await restoreDatabase({
	databasePath,
	to: values.to,
	at: values.at === undefined ? undefined : new Date(values.at),
	migrationsFolder: migrationsFolder()
});

if (!result.ok) {
	console.error(`恢复失败：${result.message}`);
	process.exit(1);
}
console.log(
	[
		`已从副本恢复数据库：${result.to}`,
		`  副本：${result.replica}`,
		`  时间点：${result.at ? `截至 ${result.at.toISOString()}` : '最新'}`,
		'  完整性检查：通过',
		`  迁移：已应用 ${result.applied} 个，${
			result.pending.length
				? `待应用 ${result.pending.length} 个（${result.pending.join('、')}，启动时自动执行）`
				: '无待应用'
		}`,
		`  用时：${result.seconds} 秒`,
		`接下来：停止应用，把 DATABASE_URL 指向 ${result.to}（或把它移到原来的位置）后执行 npm start。`
	].join('\n')
);
