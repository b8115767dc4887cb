import { createDb, migrateDb, type Db } from '../../src/lib/server/db';
import { offices, users } from '../../src/lib/server/db/schema';
import { hashPassword } from '../../src/lib/server/auth/password';

/** A fresh in-memory database with every migration applied. */
export function testDb(): Db {
	const db = createDb(':memory:');
	migrateDb(db);
	return db;
}

export const PASSWORD = 'Passw0rd!';
let cachedHash: Promise<string> | undefined;

/** The city office with two counties under it, as in the real tree. */
export function seedTree(db: Db) {
	const city = db.insert(offices).values({ name: '吕梁市人大常委会', code: 'lvliang' }).returning().get();
	const lishi = db.insert(offices).values({ name: '离石区人大常委会', code: 'lishi', parentId: city.id }).returning().get();
	const xiaoyi = db.insert(offices).values({ name: '孝义市人大常委会', code: 'xiaoyi', parentId: city.id }).returning().get();
	return { city, lishi, xiaoyi };
}

export async function addUser(
	db: Db,
	values: { username: string; role?: 'cadre' | 'office_admin' | 'school_admin' | 'sysadmin'; officeId?: number | null; name?: string }
) {
	const passwordHash = await (cachedHash ??= hashPassword(PASSWORD));
	return db
		.insert(users)
		.values({ name: values.name ?? '测试用户', role: 'cadre', ...values, passwordHash })
		.returning()
		.get();
}
