import { createHmac, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../db';
import { attendance, creditHours, MEMBER_ROLES, modules, offices, studySessionModules, studySessionOffices, studySessions, users } from '../db/schema';
import { credit } from '../courses/hours';
import { notify } from '../courses/notifications';
import { canManageOffice, type Actor } from '../org/offices';
import { parseWith, type FieldErrors } from '../validation';

export type StudySession = typeof studySessions.$inferSelect;

const SHANGHAI_MS = 8 * 3_600_000;
/** Check-in opens this long before the start and stays open this long after the end. */
export const CHECKIN_MARGIN_MS = 30 * 60_000;
export const CODE_WINDOW_MS = 60_000;

/** A Shanghai wall-clock date and time (YYYY-MM-DD, HH:MM) as an instant. */
export function shanghaiInstant(day: string, time: string): Date {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	const [h, mi] = time.split(':').map(Number) as [number, number];
	return new Date(Date.UTC(y, m - 1, d, h, mi) - SHANGHAI_MS);
}

const sessionInput = z
	.object({
		title: z.string().trim().min(2, { error: '请填写学习主题（至少 2 个字）' }).max(60, { error: '主题不能超过 60 个字' }),
		day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: '请选择日期' }),
		start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: '请选择开始时间' }),
		end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: '请选择结束时间' }),
		place: z.string().trim().min(1, { error: '请填写地点' }).max(60, { error: '地点不能超过 60 个字' }),
		leader: z.string().trim().min(1, { error: '请填写领学人' }).max(30, { error: '领学人不能超过 30 个字' }),
		hours: z.coerce.number({ error: '请填写学时' }).min(0.5, { error: '学时为 0.5–10' }).max(10, { error: '学时为 0.5–10' }),
		moduleIds: z.array(z.coerce.number().int().positive()).default([]),
		invitedOfficeIds: z.array(z.coerce.number().int().positive()).default([])
	})
	.refine((v) => v.end > v.start, { path: ['end'], error: '结束时间须晚于开始时间' });

export type SessionInput = { title?: string; day?: string; start?: string; end?: string; place?: string; leader?: string; hours?: string; moduleIds?: string[]; invitedOfficeIds?: string[] };

/** Schedules a session for the admin's office and tells every member (and invited offices' members). */
export function scheduleSession(db: Db, actor: Actor & { id: number }, input: SessionInput, now = new Date()): { ok: true; id: number } | { ok: false; errors: FieldErrors } {
	if (!actor.officeId) return { ok: false, errors: { _form: '只有单位管理员可以安排集中学习' } };
	const parsed = parseWith(sessionInput, input);
	if (!parsed.ok) return parsed;
	const d = parsed.data;
	if (d.moduleIds.length && db.select({ id: modules.id }).from(modules).where(inArray(modules.id, d.moduleIds)).all().length !== d.moduleIds.length) {
		return { ok: false, errors: { moduleIds: '所选模块不存在' } };
	}
	const invited = d.invitedOfficeIds.filter((id) => id !== actor.officeId);
	if (invited.length && db.select({ id: offices.id }).from(offices).where(inArray(offices.id, invited)).all().length !== invited.length) {
		return { ok: false, errors: { invitedOfficeIds: '所选单位不存在' } };
	}
	const startsAt = shanghaiInstant(d.day, d.start);
	const endsAt = shanghaiInstant(d.day, d.end);
	const id = db.transaction((tx) => {
		const row = tx
			.insert(studySessions)
			.values({ officeId: actor.officeId!, title: d.title, startsAt, endsAt, place: d.place, leader: d.leader, hours: d.hours, checkinSecret: randomBytes(20).toString('hex'), createdBy: actor.id, createdAt: now })
			.returning({ id: studySessions.id })
			.get();
		for (const moduleId of d.moduleIds) tx.insert(studySessionModules).values({ sessionId: row.id, moduleId }).run();
		for (const officeId of invited) tx.insert(studySessionOffices).values({ sessionId: row.id, officeId }).run();
		for (const userId of eligibleUserIds(tx, row.id)) {
			notify(tx, { userId, kind: 'session', title: `集中学习：${d.title}`, body: `${d.day} ${d.start}–${d.end}，${d.place}。领学：${d.leader}。`, href: '/checkin', dedupeKey: `session:${row.id}:${userId}` }, now);
		}
		return row.id;
	});
	return { ok: true, id };
}

function sessionOfficeIds(db: Queryable, sessionId: number): number[] {
	const s = db.select({ officeId: studySessions.officeId }).from(studySessions).where(eq(studySessions.id, sessionId)).get();
	if (!s) return [];
	const invited = db.select({ officeId: studySessionOffices.officeId }).from(studySessionOffices).where(eq(studySessionOffices.sessionId, sessionId)).all();
	return [s.officeId, ...invited.map((i) => i.officeId)];
}

/** Active members of the host office and the invited offices. */
export function eligibleUserIds(db: Queryable, sessionId: number): number[] {
	const officeIds = sessionOfficeIds(db, sessionId);
	if (officeIds.length === 0) return [];
	return db
		.select({ id: users.id })
		.from(users)
		.where(and(inArray(users.officeId, officeIds), eq(users.active, true), inArray(users.role, [...MEMBER_ROLES])))
		.all()
		.map((u) => u.id);
}

/** The 6-digit code of a session for one 60-second window: HMAC of the window with the session's secret. */
export function checkinCode(session: Pick<StudySession, 'checkinSecret'>, at: Date): string {
	const window = Math.floor(at.getTime() / CODE_WINDOW_MS);
	const digest = createHmac('sha256', session.checkinSecret).update(String(window)).digest();
	return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

export function isCheckinOpen(session: Pick<StudySession, 'startsAt' | 'endsAt'>, now: Date): boolean {
	return now.getTime() >= session.startsAt.getTime() - CHECKIN_MARGIN_MS && now.getTime() <= session.endsAt.getTime() + CHECKIN_MARGIN_MS;
}

export type CheckinResult = { ok: true; already: boolean; hours: number; title: string } | { ok: false; message: string };

/**
 * A member checks in with the code on the screen. The code of this minute (or
 * the one before, for a slow phone) counts; an older one has expired; a code of
 * another session, a session not open now, or a member not invited is refused.
 * Attendance credits the session's 学时 once.
 */
export function checkIn(db: Db, user: { id: number; officeId: number | null }, sessionId: number, rawCode: string, now = new Date()): CheckinResult {
	const code = rawCode.replace(/\s/g, '');
	if (!/^\d{6}$/.test(code)) return { ok: false, message: '请输入 6 位数字签到码' };
	const session = db.select().from(studySessions).where(eq(studySessions.id, sessionId)).get();
	if (!session) return { ok: false, message: '没有这场集中学习' };
	if (!user.officeId || !sessionOfficeIds(db, sessionId).includes(user.officeId)) return { ok: false, message: '你所在单位不在本次集中学习的参加范围内' };
	if (!isCheckinOpen(session, now)) return { ok: false, message: now < session.startsAt ? '签到还没有开始（开始前 30 分钟开放）' : '签到已经结束' };
	const current = [0, 1].some((back) => checkinCode(session, new Date(now.getTime() - back * CODE_WINDOW_MS)) === code);
	if (!current) {
		const older = Array.from({ length: 240 }, (_, i) => i + 2).some((back) => checkinCode(session, new Date(now.getTime() - back * CODE_WINDOW_MS)) === code);
		if (older) return { ok: false, message: '签到码已过期，请输入屏幕上最新的签到码' };
		const others = db
			.select()
			.from(studySessions)
			.where(and(lte(studySessions.startsAt, new Date(now.getTime() + CHECKIN_MARGIN_MS)), gte(studySessions.endsAt, new Date(now.getTime() - CHECKIN_MARGIN_MS))))
			.all()
			.filter((s) => s.id !== sessionId);
		if (others.some((s) => [0, 1].some((back) => checkinCode(s, new Date(now.getTime() - back * CODE_WINDOW_MS)) === code))) {
			return { ok: false, message: '这是另一场集中学习的签到码' };
		}
		return { ok: false, message: '签到码不正确，请核对屏幕上的 6 位数字' };
	}
	return db.transaction((tx) => recordAttendance(tx, session, user.id, 'code', now), { behavior: 'immediate' });
}

function recordAttendance(tx: Queryable, session: StudySession, userId: number, method: 'code' | 'manual', now: Date): CheckinResult {
	const r = tx.insert(attendance).values({ sessionId: session.id, userId, checkedInAt: now, method }).onConflictDoNothing().run();
	credit(tx, { userId, source: 'session', sourceId: session.id, title: `集中学习：${session.title}`, hours: session.hours, at: session.startsAt });
	return { ok: true, already: r.changes === 0, hours: session.hours, title: session.title };
}

/** The admin corrects attendance by hand; removing someone also removes the 学时 the session gave them. */
export function setAttendance(db: Db, actor: Actor, sessionId: number, userId: number, present: boolean, now = new Date()): { ok: true } | { ok: false; message: string } {
	const session = db.select().from(studySessions).where(eq(studySessions.id, sessionId)).get();
	if (!session || !canManageOffice(db, actor, session.officeId)) return { ok: false, message: '没有这场集中学习，或不在您的管理范围内' };
	if (!eligibleUserIds(db, sessionId).includes(userId)) return { ok: false, message: '此人不在本次集中学习的参加范围内' };
	db.transaction((tx) => {
		if (present) recordAttendance(tx, session, userId, 'manual', now);
		else {
			tx.delete(attendance).where(and(eq(attendance.sessionId, sessionId), eq(attendance.userId, userId))).run();
			tx.delete(creditHours).where(and(eq(creditHours.userId, userId), eq(creditHours.source, 'session'), eq(creditHours.sourceId, sessionId))).run();
		}
	});
	return { ok: true };
}

export function saveMinutes(db: Db, actor: Actor, sessionId: number, minutes: string): { ok: true } | { ok: false; message: string } {
	const session = db.select().from(studySessions).where(eq(studySessions.id, sessionId)).get();
	if (!session || !canManageOffice(db, actor, session.officeId)) return { ok: false, message: '没有这场集中学习，或不在您的管理范围内' };
	if (minutes.length > 20_000) return { ok: false, message: '纪要不能超过 20000 字' };
	db.update(studySessions).set({ minutes: minutes.trim() }).where(eq(studySessions.id, sessionId)).run();
	return { ok: true };
}

/** Sessions a member can attend (their office hosts or is invited), soonest first, from `from` on. */
export function sessionsForUser(db: Queryable, officeId: number | null, from: Date, limit = 5) {
	if (!officeId) return [];
	return db
		.select({ id: studySessions.id, title: studySessions.title, startsAt: studySessions.startsAt, endsAt: studySessions.endsAt, place: studySessions.place, leader: studySessions.leader, hours: studySessions.hours })
		.from(studySessions)
		.where(
			and(
				gte(studySessions.endsAt, new Date(from.getTime() - CHECKIN_MARGIN_MS)),
				or(eq(studySessions.officeId, officeId), sql`${studySessions.id} IN (SELECT session_id FROM study_session_offices WHERE office_id = ${officeId})`)
			)
		)
		.orderBy(asc(studySessions.startsAt))
		.limit(limit)
		.all();
}

export function officeSessions(db: Queryable, officeIds: number[]) {
	if (officeIds.length === 0) return [];
	return db
		.select({
			id: studySessions.id,
			title: studySessions.title,
			startsAt: studySessions.startsAt,
			endsAt: studySessions.endsAt,
			place: studySessions.place,
			officeName: offices.name,
			attended: sql<number>`(SELECT count(*) FROM attendance a WHERE a.session_id = ${studySessions.id})`
		})
		.from(studySessions)
		.innerJoin(offices, eq(offices.id, studySessions.officeId))
		.where(inArray(studySessions.officeId, officeIds))
		.orderBy(desc(studySessions.startsAt))
		.all();
}

/** The roster: everyone who may attend, with whether and how they checked in. */
export function roster(db: Queryable, sessionId: number) {
	const ids = eligibleUserIds(db, sessionId);
	if (ids.length === 0) return [];
	return db
		.select({ userId: users.id, name: users.name, officeName: offices.name, checkedInAt: attendance.checkedInAt, method: attendance.method })
		.from(users)
		.innerJoin(offices, eq(offices.id, users.officeId))
		.leftJoin(attendance, and(eq(attendance.userId, users.id), eq(attendance.sessionId, sessionId)))
		.where(inArray(users.id, ids))
		.orderBy(asc(offices.sortOrder), asc(users.name))
		.all();
}
