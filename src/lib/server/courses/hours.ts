import { asc, eq, sql, and } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { recordAudit, type AuditActor } from '../audit';
import { appSettings, creditHours } from '../db/schema';
import { shanghaiDay } from '../time';

export const DEFAULT_YEARLY_HOURS = 50;
const REQUIREMENT_KEY = 'yearly_hours_requirement';

export function shanghaiYear(at: Date): number {
	return Number(shanghaiDay(at).slice(0, 4));
}

export function yearlyRequirement(db: Queryable): number {
	const row = db.select().from(appSettings).where(eq(appSettings.key, REQUIREMENT_KEY)).get();
	return row ? Number(row.value) : DEFAULT_YEARLY_HOURS;
}

export function setYearlyRequirement(
	db: Db,
	actor: AuditActor,
	raw: string
): { ok: true } | { ok: false; error: string } {
	const hours = Number(raw);
	if (
		!raw.trim() ||
		!Number.isFinite(hours) ||
		hours < 1 ||
		hours > 500 ||
		Math.round(hours * 2) !== hours * 2
	) {
		return { ok: false, error: '请填写 1–500 之间的学时数（可以是 0.5 的倍数）' };
	}
	db.transaction((tx) => {
		const before = yearlyRequirement(tx);
		tx.insert(appSettings)
			.values({ key: REQUIREMENT_KEY, value: String(hours) })
			.onConflictDoUpdate({ target: appSettings.key, set: { value: String(hours) } })
			.run();
		recordAudit(tx, actor, {
			action: 'settings.update',
			target: { type: 'setting', id: REQUIREMENT_KEY },
			summary: `每年学时要求改为 ${hours} 学时`,
			detail: { changes: [{ label: '每年学时要求', from: String(before), to: String(hours) }] }
		});
	});
	return { ok: true };
}

export type CreditSource = (typeof creditHours.$inferSelect)['source'];

/** What each source of 学时 is called where credited hours are listed. */
export const CREDIT_SOURCE_LABELS: Record<CreditSource, string> = {
	course: '专题班',
	session: '集中学习',
	module: '模块学时',
	exam: '考试'
};

/** Credits hours once per source, in the Shanghai year of `at`. Returns false if already credited. */
export function credit(
	tx: Queryable,
	c: {
		userId: number;
		source: CreditSource;
		sourceId: number;
		title: string;
		hours: number;
		at: Date;
	}
): boolean {
	const inserted = tx
		.insert(creditHours)
		.values({
			userId: c.userId,
			source: c.source,
			sourceId: c.sourceId,
			title: c.title,
			hours: c.hours,
			year: shanghaiYear(c.at),
			creditedAt: c.at
		})
		.onConflictDoNothing()
		.run();
	return inserted.changes > 0;
}

export function hoursInYear(db: Queryable, userId: number, year: number): number {
	return (
		db
			.select({ h: sql<number>`coalesce(sum(${creditHours.hours}), 0)` })
			.from(creditHours)
			.where(and(eq(creditHours.userId, userId), eq(creditHours.year, year)))
			.get()?.h ?? 0
	);
}

export function hoursByYear(db: Queryable, userId: number) {
	return db
		.select({ year: creditHours.year, hours: sql<number>`sum(${creditHours.hours})` })
		.from(creditHours)
		.where(eq(creditHours.userId, userId))
		.groupBy(creditHours.year)
		.orderBy(asc(creditHours.year))
		.all();
}

export function creditList(db: Queryable, userId: number) {
	return db
		.select()
		.from(creditHours)
		.where(eq(creditHours.userId, userId))
		.orderBy(asc(creditHours.creditedAt))
		.all();
}
