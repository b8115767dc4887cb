// npm run db:seed:province -- --code sx — a province's own database (README: 多省部署): the built-in
// study content, the office tree rooted at the province's 人大常委会, its admins and a few fictional
// cadres. Idempotent. DATABASE_URL defaults to data/provinces/<code>/app.db, where
// `npm run provinces` looks for it.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDb, migrateDb } from '../src/lib/server/db';
import { findProvince, PROVINCES, provinceAccounts, seedProvince } from '../src/lib/server/seed/province';

const known = PROVINCES.map((p) => `${p.code}（${p.name}）`).join('、');
const { values } = parseArgs({ options: { code: { type: 'string' } } });
const province = values.code ? findProvince(values.code) : undefined;
if (!province) {
	console.error(`请用 --code 指定省份：${known}`);
	process.exit(1);
}

const path = process.env.DATABASE_URL || join('data', 'provinces', province.code, 'app.db');
const db = createDb(path);
try {
	migrateDb(db);
	const summary = await seedProvince(db, province);
	const accounts = provinceAccounts(province);
	console.log(
		`${province.name}的数据已就绪（${path}）：${summary.offices} 个单位，${summary.users} 个账号，内容 ${summary.modules} 项；` +
			`系统管理员 ${accounts.sysadmin}，单位管理员 ${accounts.officeAdmin}，密码 Demo#2026`
	);
} catch (e) {
	console.error((e as Error).message);
	process.exitCode = 1;
} finally {
	db.$client.close();
}
