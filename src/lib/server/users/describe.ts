import { eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { offices, schools } from '../db/schema';
import { ROLE_LABELS, type Role } from '../access';
import { changesOf, type Change } from '../audit';

// How accounts appear in the audit log: names people recognise, never ids or password hashes.

interface AccountFields {
	name: string;
	username: string;
	role: Role;
	officeId: number | null;
	schoolId: number | null;
	title: string;
	phone: string;
}

/** 张三（lishi.001）: the way an account is named in a log line. */
export function accountLabel(user: { name: string; username: string }): string {
	return `${user.name}（${user.username}）`;
}

function officeName(db: Queryable, id: number | null): string {
	if (id === null) return '';
	return db.select({ name: offices.name }).from(offices).where(eq(offices.id, id)).get()?.name ?? String(id);
}

function schoolName(db: Queryable, id: number | null): string {
	if (id === null) return '';
	return db.select({ name: schools.name }).from(schools).where(eq(schools.id, id)).get()?.name ?? String(id);
}

/** The fields an edit changed, labelled, with offices, schools and roles by name. */
export function accountChanges(
	db: Queryable,
	before: Partial<AccountFields>,
	after: Partial<AccountFields>
): Change[] {
	const readable = (a: Partial<AccountFields>) => ({
		...a,
		role: a.role && ROLE_LABELS[a.role],
		office: 'officeId' in a ? officeName(db, a.officeId ?? null) : undefined,
		school: 'schoolId' in a ? schoolName(db, a.schoolId ?? null) : undefined
	});
	const labels = {
		name: '姓名',
		username: '登录名',
		role: '角色',
		office: '单位',
		school: '党校',
		title: '职务',
		phone: '手机号'
	};
	const next = Object.fromEntries(Object.entries(readable(after)).filter(([, v]) => v !== undefined));
	return changesOf(labels, readable(before), next);
}
