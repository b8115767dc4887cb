import { createDb, migrateDb, type Db } from '../../src/lib/server/db';
import { offices, users } from '../../src/lib/server/db/schema';
import { hashPassword } from '../../src/lib/server/auth/password';
import { userNameFields } from '../../src/lib/server/users/name-key';

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
	const lishi = db
		.insert(offices)
		.values({ name: '离石区人大常委会', code: 'lishi', parentId: city.id })
		.returning()
		.get();
	const xiaoyi = db
		.insert(offices)
		.values({ name: '孝义市人大常委会', code: 'xiaoyi', parentId: city.id })
		.returning()
		.get();
	return { city, lishi, xiaoyi };
}

export async function addUser(
	db: Db,
	values: {
		username: string;
		role?: 'cadre' | 'office_admin' | 'school_admin' | 'sysadmin';
		officeId?: number | null;
		name?: string;
	}
) {
	const passwordHash = await (cachedHash ??= hashPassword(PASSWORD));
	return db
		.insert(users)
		.values({ role: 'cadre', ...values, ...userNameFields(values.name ?? '测试用户'), passwordHash })
		.returning()
		.get();
}

/** A sysadmin acting from a test (no account row needed: the audit log keeps its name as given). */
export const SYSADMIN = {
	id: 0,
	name: '测试管理员',
	role: 'sysadmin',
	officeId: null,
	schoolId: null,
	ip: '192.0.2.1'
} as const;
