import { count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { offices, users } from '../db/schema';
import { hashPassword } from '../auth/password';
import { syncContent } from '../content/sync';
import { userNameFields } from '../users/name-key';
import { DEMO_PASSWORD } from './index';
import { fictionalName, pick, rng, TITLES } from './people';

/**
 * One deployment per province (deploy/haproxy.cfg, scripts/provinces.ts): each instance has its own
 * database whose office tree is rooted at the province's 人大常委会. Offices never cross provinces,
 * so nothing in one database refers to another. The office names are real; the people are fictional.
 */
export interface Province {
	/** Short code: the host name's first label, the root office's code and the admins' login prefix. */
	code: string;
	/** The province as people say it (山西省). */
	name: string;
	/** The host name haproxy routes to this province's instance (deploy/haproxy.cfg). */
	host: string;
	root: { name: string; code: string };
	cities: { name: string; code: string }[];
}

export const PROVINCES: readonly Province[] = [
	{
		code: 'sx',
		name: '山西省',
		host: 'sx.xuexi.test',
		root: { name: '山西省人大常委会', code: 'sx' },
		cities: [
			{ name: '太原市人大常委会', code: 'taiyuan' },
			{ name: '吕梁市人大常委会', code: 'lvliang' }
		]
	},
	{
		code: 'ha',
		name: '河南省',
		host: 'ha.xuexi.test',
		root: { name: '河南省人大常委会', code: 'ha' },
		cities: [
			{ name: '郑州市人大常委会', code: 'zhengzhou' },
			{ name: '洛阳市人大常委会', code: 'luoyang' }
		]
	}
];

export function findProvince(code: string): Province | undefined {
	return PROVINCES.find((p) => p.code === code);
}

/** Cadres at the provincial office and at each city office, besides the admins. */
const CADRES_AT_ROOT = 4;
const CADRES_PER_CITY = 3;

/** The accounts a province's seed creates, by login name (README: 多省部署). */
export function provinceAccounts(province: Province): {
	sysadmin: string;
	officeAdmin: string;
	cadre: string;
} {
	return {
		sysadmin: `${province.code}.sysadmin`,
		officeAdmin: `${province.code}.admin`,
		cadre: `${province.cities[0]!.code}.001`
	};
}

export interface ProvinceSeedSummary {
	offices: number;
	users: number;
	modules: number;
}

/**
 * Seeds a province's own database: the built-in study content, the office tree rooted at the
 * province's 人大常委会, a sysadmin (`sx.sysadmin`), an office admin of the root (`sx.admin`) and a
 * few fictional cadres per office, password Demo#2026. Idempotent: existing rows are kept. Refuses a
 * database whose tree has another root (the demo seed's, or another province's): offices never
 * cross provinces, and each province has a database of its own.
 */
export async function seedProvince(
	db: Db,
	province: Province,
	now = new Date()
): Promise<ProvinceSeedSummary> {
	const roots = db.select({ name: offices.name }).from(offices).where(isNull(offices.parentId)).all();
	const other = roots.find((r) => r.name !== province.root.name);
	if (other)
		throw new Error(
			`这个数据库已有别的单位树（根单位：${other.name}），不能载入${province.name}的单位；每个省使用自己的数据库`
		);

	// One hash for every seeded account keeps seeding fast; each real account gets its own.
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	// A different, fixed sequence per province: the same people on every machine.
	const random = rng([...province.code].reduce((n, c) => n * 131 + c.charCodeAt(0), 19));
	const accounts = provinceAccounts(province);
	db.transaction((tx) => {
		tx.insert(offices)
			.values({ name: province.root.name, code: province.root.code, sortOrder: 0 })
			.onConflictDoNothing()
			.run();
		const rootId = tx
			.select({ id: offices.id })
			.from(offices)
			.where(eq(offices.name, province.root.name))
			.get()!.id;
		province.cities.forEach((city, i) => {
			tx.insert(offices)
				.values({ name: city.name, code: city.code, parentId: rootId, sortOrder: i + 1 })
				.onConflictDoNothing()
				.run();
		});
		const officeId = new Map(
			tx
				.select({ id: offices.id, name: offices.name })
				.from(offices)
				.all()
				.map((o) => [o.name, o.id])
		);
		const add = (
			username: string,
			role: 'sysadmin' | 'office_admin' | 'cadre',
			title: string,
			office?: string
		) =>
			tx
				.insert(users)
				.values({
					username,
					...userNameFields(fictionalName(random)),
					role,
					title,
					officeId: office ? officeId.get(office) : null,
					passwordHash
				})
				.onConflictDoNothing()
				.run();
		add(accounts.sysadmin, 'sysadmin', '信息中心');
		add(accounts.officeAdmin, 'office_admin', '办公厅副主任', province.root.name);
		for (const office of [province.root, ...province.cities]) {
			const n = office === province.root ? CADRES_AT_ROOT : CADRES_PER_CITY;
			for (let i = 1; i <= n; i++)
				add(`${office.code}.${String(i).padStart(3, '0')}`, 'cadre', pick(random, TITLES), office.name);
		}
	});
	const content = syncContent(db, undefined, now);
	return {
		offices: db.select({ n: count() }).from(offices).get()!.n,
		users: db.select({ n: count() }).from(users).get()!.n,
		modules: content.created + content.updated + content.unchanged
	};
}
