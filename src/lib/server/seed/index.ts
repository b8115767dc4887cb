import { count, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { offices, schools, users } from '../db/schema';
import { hashPassword } from '../auth/password';
import { fictionalName, pick, rng, TITLES } from './people';
import { userNameFields } from '../users/name-key';

export const DEMO_PASSWORD = 'Demo#2026';

/** The real office tree (PRODUCT.md): the city standing committee and its 13 districts and counties. */
export const OFFICE_TREE = {
	root: { name: '吕梁市人大常委会', code: 'lvliang' },
	children: [
		{ name: '离石区人大常委会', code: 'lishi' },
		{ name: '孝义市人大常委会', code: 'xiaoyi' },
		{ name: '汾阳市人大常委会', code: 'fenyang' },
		{ name: '文水县人大常委会', code: 'wenshui' },
		{ name: '交城县人大常委会', code: 'jiaocheng' },
		{ name: '兴县人大常委会', code: 'xingxian' },
		{ name: '临县人大常委会', code: 'linxian' },
		{ name: '柳林县人大常委会', code: 'liulin' },
		{ name: '石楼县人大常委会', code: 'shilou' },
		{ name: '岚县人大常委会', code: 'lanxian' },
		{ name: '方山县人大常委会', code: 'fangshan' },
		{ name: '中阳县人大常委会', code: 'zhongyang' },
		{ name: '交口县人大常委会', code: 'jiaokou' }
	]
} as const;

export const SCHOOLS = ['中共吕梁市委党校', '中共离石区委党校'] as const;

type DemoAccount = {
	username: string;
	name: string;
	role: 'sysadmin' | 'school_admin' | 'office_admin' | 'cadre';
	office?: string;
	school?: string;
	title: string;
};

export const DEMO_ACCOUNTS: DemoAccount[] = [
	{ username: 'admin', name: '系统管理员', role: 'sysadmin', title: '信息科' },
	{
		username: 'dangxiao',
		name: '高志远',
		role: 'school_admin',
		school: '中共吕梁市委党校',
		title: '教务处副处长'
	},
	// The school's second admin: reviews and publishes what 高志远 writes (内容编写).
	{
		username: 'dangxiao2',
		name: '梁雅琴',
		role: 'school_admin',
		school: '中共吕梁市委党校',
		title: '教研室主任'
	},
	{
		username: 'lvliang.admin',
		name: '郭晓红',
		role: 'office_admin',
		office: '吕梁市人大常委会',
		title: '办公室副主任'
	},
	{
		username: 'lishi.admin',
		name: '白雪梅',
		role: 'office_admin',
		office: '离石区人大常委会',
		title: '办公室主任'
	},
	{ username: 'lishi.cadre', name: '李文博', role: 'cadre', office: '离石区人大常委会', title: '科员' }
];

/** Cadres per office besides the demo accounts: about 300 in all. */
const CADRES_AT_CITY = 38;
const CADRES_PER_COUNTY = 20;

/**
 * Loads the office tree, the schools, the demo accounts and ~300 fictional
 * cadres. Idempotent: existing rows (matched by name or login name) are kept.
 */
export async function seedOrganisation(db: Db): Promise<{ offices: number; users: number }> {
	// One hash for every demo account keeps seeding fast; each real account gets its own.
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const random = rng(20221016);
	db.transaction((tx) => {
		const root = OFFICE_TREE.root;
		tx.insert(offices).values({ name: root.name, code: root.code, sortOrder: 0 }).onConflictDoNothing().run();
		const rootId = tx.select({ id: offices.id }).from(offices).where(eq(offices.name, root.name)).get()!.id;
		OFFICE_TREE.children.forEach((o, i) => {
			tx.insert(offices)
				.values({ name: o.name, code: o.code, parentId: rootId, sortOrder: i + 1 })
				.onConflictDoNothing()
				.run();
		});
		for (const name of SCHOOLS) tx.insert(schools).values({ name }).onConflictDoNothing().run();

		const officeId = new Map(
			tx
				.select()
				.from(offices)
				.all()
				.map((o) => [o.name, o.id])
		);
		const schoolId = new Map(
			tx
				.select()
				.from(schools)
				.all()
				.map((s) => [s.name, s.id])
		);
		for (const a of DEMO_ACCOUNTS) {
			tx.insert(users)
				.values({
					username: a.username,
					...userNameFields(a.name),
					role: a.role,
					title: a.title,
					officeId: a.office ? officeId.get(a.office) : null,
					schoolId: a.school ? schoolId.get(a.school) : null,
					passwordHash
				})
				.onConflictDoNothing()
				.run();
		}
		for (const o of [root, ...OFFICE_TREE.children]) {
			const n = o === root ? CADRES_AT_CITY : CADRES_PER_COUNTY;
			for (let i = 1; i <= n; i++) {
				tx.insert(users)
					.values({
						username: `${o.code}.${String(i).padStart(3, '0')}`,
						...userNameFields(fictionalName(random)),
						role: 'cadre',
						title: pick(random, TITLES),
						officeId: officeId.get(o.name),
						passwordHash
					})
					.onConflictDoNothing()
					.run();
			}
		}
	});
	return {
		offices: db.select({ n: count() }).from(offices).get()!.n,
		users: db.select({ n: count() }).from(users).get()!.n
	};
}

export function isEmpty(db: Db): boolean {
	return !db.select({ id: users.id }).from(users).limit(1).get();
}
