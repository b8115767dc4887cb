import { createHmac, randomBytes } from 'node:crypto';
import { and, asc, count, desc, eq, gt, gte, inArray, lt, lte, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../db';
import {
	attendance,
	creditHours,
	modules,
	offices,
	studySessionModules,
	studySessionOffices,
	studySessions,
	users
} from '../db/schema';
import { MEMBER_ROLES } from '../access';
import { credit } from '../courses/hours';
import { labelled, notify } from '../notifications';
import { ancestorIds, canManageOffice, descendantIds, managedOfficeIds, type Actor } from '../org/offices';
import { managedOfficeOptions } from '../org/scope';
import { field, parseWith, type FieldErrors } from '../validation';
import { releaseAttempt, reserveAttempt, tooManyAttempts } from '../rate-limit';
import { PINYIN_ORDER } from '../users/name-key';
import { hoursLabel } from '../../format';
import { recordAudit, type AuditActor } from '../audit';
import { accountLabel } from '../users/describe';
import { NOT_PICKABLE, pickableModules } from '../learning/catalog';

/*
 * 集中学习: study sessions an office holds (schedule, roster, check-in, minutes). "Session" alone
 * means a login session (auth/session.ts, the `sessions` table); here it is always a study session.
 */

export type StudySession = typeof studySessions.$inferSelect;

const SHANGHAI_MS = 8 * 3_600_000;
/** Check-in opens this long before the start and stays open this long after the end. */
export const CHECKIN_MARGIN_MS = 30 * 60_000;
export const CODE_WINDOW_MS = 60_000;
/** Wrong codes a member may enter per window before check-in refuses them for a while. */
export const MAX_WRONG_CODES = 10;
export const WRONG_CODE_WINDOW_MS = 10 * 60_000;

/** A Shanghai wall-clock date and time (YYYY-MM-DD, HH:MM) as an instant. */
export function shanghaiInstant(day: string, time: string): Date {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	const [h, mi] = time.split(':').map(Number) as [number, number];
	return new Date(Date.UTC(y, m - 1, d, h, mi) - SHANGHAI_MS);
}

const ids = (message: string) =>
	z
		.array(z.coerce.number({ error: message }).int({ error: message }).positive({ error: message }), {
			error: message
		})
		.default([]);

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const studySessionInput = z
	.object({
		title: z
			.string({ error: '请填写学习主题（至少 2 个字）' })
			.trim()
			.min(2, { error: '请填写学习主题（至少 2 个字）' })
			.max(60, { error: '主题不能超过 60 个字' }),
		day: field.day('日期'),
		start: field.time('开始时间'),
		end: field.time('结束时间'),
		place: z
			.string({ error: '请填写地点' })
			.trim()
			.min(1, { error: '请填写地点' })
			.max(60, { error: '地点不能超过 60 个字' }),
		leader: z
			.string({ error: '请填写领学人' })
			.trim()
			.min(1, { error: '请填写领学人' })
			.max(30, { error: '领学人不能超过 30 个字' }),
		hours: z.coerce
			.number({ error: '请填写学时' })
			.min(0.5, { error: '学时为 0.5–10' })
			.max(10, { error: '学时为 0.5–10' })
			.refine((v) => Math.round(v * 2) === v * 2, { error: '学时须为 0.5 的倍数' }),
		moduleIds: ids('所选模块不存在'),
		invitedOfficeIds: ids('所选单位不存在')
	})
	.superRefine((v, ctx) => {
		const minutes = minutesOf(v.end) - minutesOf(v.start);
		if (minutes <= 0) ctx.addIssue({ code: 'custom', path: ['end'], message: '结束时间须晚于开始时间' });
		// 学时 are hours of study: a session credits at most the time it lasted.
		else if (v.hours * 60 > minutes)
			ctx.addIssue({
				code: 'custom',
				path: ['hours'],
				message: `学时不能超过学习时长（${v.start}–${v.end} 共 ${hoursLabel(minutes / 60)} 小时）`
			});
	});

export type StudySessionInput = {
	title?: string;
	day?: string;
	start?: string;
	end?: string;
	place?: string;
	leader?: string;
	hours?: string;
	moduleIds?: string[];
	invitedOfficeIds?: string[];
};

/** Schedules a session for the admin's office and tells every member (and invited offices' members). */
export function scheduleStudySession(
	db: Db,
	actor: AuditActor,
	input: StudySessionInput,
	now = new Date()
): { ok: true; id: number } | { ok: false; errors: FieldErrors } {
	if (!actor.officeId) return { ok: false, errors: { _form: '只有单位管理员可以安排集中学习' } };
	const parsed = parseWith(studySessionInput, input);
	if (!parsed.ok) return parsed;
	const d = parsed.data;
	// Modules the office's members may study (learning/audience.ts: the office picker).
	if (!pickableModules(db, { kind: 'office', officeId: actor.officeId }, d.moduleIds))
		return { ok: false, errors: { moduleIds: NOT_PICKABLE } };
	const invited = [...new Set(d.invitedOfficeIds)].filter((id) => id !== actor.officeId);
	// Only offices below the host's own: inviting an office notifies its members and puts
	// their names and 学时 in this admin's hands, so it must be within what they manage.
	const invitable = new Set(invitableOfficeIds(db, actor));
	if (invited.some((id) => !invitable.has(id))) {
		return { ok: false, errors: { invitedOfficeIds: '只能邀请本单位的下级单位（您管理范围内的单位）参加' } };
	}
	const startsAt = shanghaiInstant(d.day, d.start);
	const endsAt = shanghaiInstant(d.day, d.end);
	const id = db.transaction((tx) => {
		const row = tx
			.insert(studySessions)
			.values({
				officeId: actor.officeId!,
				title: d.title,
				startsAt,
				endsAt,
				place: d.place,
				leader: d.leader,
				hours: d.hours,
				checkinSecret: randomBytes(20).toString('hex'),
				createdBy: actor.id,
				createdAt: now
			})
			.returning({ id: studySessions.id })
			.get();
		for (const moduleId of d.moduleIds)
			tx.insert(studySessionModules).values({ sessionId: row.id, moduleId }).run();
		for (const officeId of invited)
			tx.insert(studySessionOffices).values({ sessionId: row.id, officeId }).run();
		for (const userId of eligibleUserIds(tx, row.id)) {
			notify(
				tx,
				{
					userId,
					kind: 'session',
					title: labelled('集中学习', d.title),
					body: `${d.day} ${d.start}–${d.end}，${d.place}。领学：${d.leader}。`,
					href: '/checkin',
					dedupeKey: `session:${row.id}:${userId}`
				},
				now
			);
		}
		const guests = invited.length
			? tx
					.select({ name: offices.name })
					.from(offices)
					.where(inArray(offices.id, invited))
					.all()
					.map((o) => o.name)
			: [];
		recordAudit(tx, actor, {
			action: 'session.create',
			officeId: actor.officeId,
			target: { type: 'session', id: row.id },
			summary: `安排集中学习“${d.title}”：${d.day} ${d.start}–${d.end}，${d.place}，${hoursLabel(d.hours)} 学时${guests.length ? `；邀请 ${guests.join('、')}` : ''}`,
			at: now
		});
		return row.id;
	});
	return { ok: true, id };
}

/** The offices an admin may invite to a session of their own office: those below it that they manage. */
export function invitableOfficeIds(db: Queryable, actor: Actor): number[] {
	if (!actor.officeId) return [];
	const managed = new Set(managedOfficeIds(db, actor));
	return descendantIds(db, actor.officeId).filter((id) => id !== actor.officeId && managed.has(id));
}

/** The same offices for the invitation list, indented as a tree. */
export function invitableOfficeOptions(
	db: Queryable,
	actor: Actor
): { id: number; name: string; depth: number }[] {
	const invitable = new Set(invitableOfficeIds(db, actor));
	return managedOfficeOptions(db, actor).filter((o) => invitable.has(o.id));
}

/**
 * The host office and the invited offices still below it. Checked on every read too, so an
 * invitation that reaches outside the host's subtree (made before this rule, or an office
 * moved since) gives no notices, names, check-ins or 学时 there.
 */
function studySessionOfficeIds(db: Queryable, sessionId: number): number[] {
	const s = db
		.select({ officeId: studySessions.officeId })
		.from(studySessions)
		.where(eq(studySessions.id, sessionId))
		.get();
	if (!s) return [];
	const below = new Set(descendantIds(db, s.officeId));
	const invited = db
		.select({ officeId: studySessionOffices.officeId })
		.from(studySessionOffices)
		.where(eq(studySessionOffices.sessionId, sessionId))
		.all();
	return [s.officeId, ...invited.map((i) => i.officeId).filter((id) => id !== s.officeId && below.has(id))];
}

/** Whether members of an office may attend a session (their office hosts it or is invited). */
export function mayAttend(db: Queryable, officeId: number | null, sessionId: number): boolean {
	return officeId !== null && studySessionOfficeIds(db, sessionId).includes(officeId);
}

/** Active members of the host office and the invited offices. */
export function eligibleUserIds(db: Queryable, sessionId: number): number[] {
	const officeIds = studySessionOfficeIds(db, sessionId);
	if (officeIds.length === 0) return [];
	return db
		.select({ id: users.id })
		.from(users)
		.where(
			and(inArray(users.officeId, officeIds), eq(users.active, true), inArray(users.role, [...MEMBER_ROLES]))
		)
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
	return (
		now.getTime() >= session.startsAt.getTime() - CHECKIN_MARGIN_MS &&
		now.getTime() <= session.endsAt.getTime() + CHECKIN_MARGIN_MS
	);
}

export type CheckinResult =
	{ ok: true; already: boolean; hours: number; title: string } | { ok: false; message: string };

/**
 * A member checks in with the code on the screen. The code of this minute (or
 * the one before, for a slow phone) counts; an older one has expired; a code of
 * another session, a session not open now, or a member not invited is refused.
 * Attendance credits the session's 学时 once.
 */
export function checkIn(
	db: Db,
	user: { id: number; officeId: number | null },
	sessionId: number,
	rawCode: string,
	now = new Date()
): CheckinResult {
	const code = rawCode.replace(/\s/g, '');
	if (!/^\d{6}$/.test(code)) return { ok: false, message: '请输入 6 位数字签到码' };
	const session = db.select().from(studySessions).where(eq(studySessions.id, sessionId)).get();
	if (!session) return { ok: false, message: '没有找到这场集中学习' };
	if (!mayAttend(db, user.officeId, sessionId))
		return { ok: false, message: '您所在单位不在本次集中学习的参加范围内' };
	if (!isCheckinOpen(session, now))
		return {
			ok: false,
			message: now < session.startsAt ? '签到还没有开始（开始前 30 分钟开放）' : '签到已经结束'
		};
	// A million codes: guesses are limited per member, counted before the code is compared.
	const reservation = reserveAttempt(
		db,
		[{ key: `checkin:${user.id}`, max: MAX_WRONG_CODES, windowMs: WRONG_CODE_WINDOW_MS }],
		now
	);
	if (!reservation.ok) return { ok: false, message: tooManyAttempts(reservation.retryAfterMs) };
	const wrong = wrongCodeMessage(db, session, code, now);
	if (wrong) return { ok: false, message: wrong };
	return db.transaction((tx) => {
		releaseAttempt(tx, reservation.ids);
		return recordAttendance(tx, session, user.id, 'code', now);
	});
}

/** Why a code is not this minute's code of the session (null when it is). */
function wrongCodeMessage(db: Queryable, session: StudySession, code: string, now: Date): string | null {
	const current = [0, 1].some(
		(back) => checkinCode(session, new Date(now.getTime() - back * CODE_WINDOW_MS)) === code
	);
	if (current) return null;
	const older = Array.from({ length: 240 }, (_, i) => i + 2).some(
		(back) => checkinCode(session, new Date(now.getTime() - back * CODE_WINDOW_MS)) === code
	);
	if (older) return '签到码已过期，请输入屏幕上最新的签到码';
	const others = db
		.select()
		.from(studySessions)
		.where(
			and(
				lte(studySessions.startsAt, new Date(now.getTime() + CHECKIN_MARGIN_MS)),
				gte(studySessions.endsAt, new Date(now.getTime() - CHECKIN_MARGIN_MS))
			)
		)
		.all()
		.filter((s) => s.id !== session.id);
	if (
		others.some((s) =>
			[0, 1].some((back) => checkinCode(s, new Date(now.getTime() - back * CODE_WINDOW_MS)) === code)
		)
	) {
		return '这是另一场集中学习的签到码';
	}
	return '签到码不正确，请核对屏幕上的 6 位数字';
}

/** Another session this user attended that overlaps this one in time (nobody is in two rooms at once). */
function overlappingAttendance(
	tx: Queryable,
	session: StudySession,
	userId: number
): { title: string } | undefined {
	return tx
		.select({ title: studySessions.title })
		.from(attendance)
		.innerJoin(studySessions, eq(studySessions.id, attendance.sessionId))
		.where(
			and(
				eq(attendance.userId, userId),
				ne(attendance.sessionId, session.id),
				lt(studySessions.startsAt, session.endsAt),
				gt(studySessions.endsAt, session.startsAt)
			)
		)
		.get();
}

function recordAttendance(
	tx: Queryable,
	session: StudySession,
	userId: number,
	method: 'code' | 'manual',
	now: Date
): CheckinResult {
	const already = tx
		.select({ userId: attendance.userId })
		.from(attendance)
		.where(and(eq(attendance.sessionId, session.id), eq(attendance.userId, userId)))
		.get();
	if (already) return { ok: true, already: true, hours: session.hours, title: session.title };
	const clash = overlappingAttendance(tx, session, userId);
	if (clash)
		return { ok: false, message: `同一时间已在《${clash.title}》签到，同一段时间只计一场集中学习的学时` };
	tx.insert(attendance).values({ sessionId: session.id, userId, checkedInAt: now, method }).run();
	credit(tx, {
		userId,
		source: 'session',
		sourceId: session.id,
		title: `集中学习：${session.title}`,
		hours: session.hours,
		at: session.startsAt
	});
	return { ok: true, already: false, hours: session.hours, title: session.title };
}

/**
 * The admin corrects attendance by hand; removing someone also removes the 学时 the session
 * gave them. Only for members of the session within the admin's scope, only once check-in has
 * opened (nobody attends a session that has not begun), and never for the admin themself:
 * their own attendance is by the code on the screen, like everyone else's.
 */
export function setAttendance(
	db: Db,
	actor: AuditActor,
	sessionId: number,
	userId: number,
	present: boolean,
	now = new Date()
): { ok: true } | { ok: false; message: string } {
	const session = managedStudySession(db, actor, sessionId);
	if (!session) return { ok: false, message: '没有找到这场集中学习，或不在您的管理范围内' };
	const person = db.select({ officeId: users.officeId }).from(users).where(eq(users.id, userId)).get();
	if (
		!person ||
		!canManageOffice(db, actor, person.officeId) ||
		!eligibleUserIds(db, sessionId).includes(userId)
	) {
		return { ok: false, message: '此人不在本次集中学习的参加范围内' };
	}
	if (present && userId === actor.id)
		return { ok: false, message: '不能为自己补登签到，请在签到屏幕上用签到码签到' };
	if (present && now.getTime() < session.startsAt.getTime() - CHECKIN_MARGIN_MS)
		return { ok: false, message: '集中学习还没有开始，开始后才能补登签到' };
	return db.transaction((tx): { ok: true } | { ok: false; message: string } => {
		if (present) {
			const recorded = recordAttendance(tx, session, userId, 'manual', now);
			if (!recorded.ok) return recorded;
		} else {
			tx.delete(attendance)
				.where(and(eq(attendance.sessionId, sessionId), eq(attendance.userId, userId)))
				.run();
			tx.delete(creditHours)
				.where(
					and(
						eq(creditHours.userId, userId),
						eq(creditHours.source, 'session'),
						eq(creditHours.sourceId, sessionId)
					)
				)
				.run();
		}
		const who = tx
			.select({ name: users.name, username: users.username })
			.from(users)
			.where(eq(users.id, userId))
			.get()!;
		recordAudit(tx, actor, {
			action: 'session.attendance',
			officeId: session.officeId,
			target: { type: 'session', id: sessionId },
			summary: `更正签到：${accountLabel(who)} 在集中学习“${session.title}”记为${present ? '已到（补登，计入学时）' : '未到（撤销学时）'}`,
			at: now
		});
		return { ok: true };
	});
}

export function saveMinutes(
	db: Db,
	actor: AuditActor,
	sessionId: number,
	minutes: string
): { ok: true } | { ok: false; message: string } {
	const session = managedStudySession(db, actor, sessionId);
	if (!session) return { ok: false, message: '没有找到这场集中学习，或不在您的管理范围内' };
	if (minutes.length > 20_000) return { ok: false, message: '纪要不能超过 20000 字' };
	db.transaction((tx) => {
		tx.update(studySessions).set({ minutes: minutes.trim() }).where(eq(studySessions.id, sessionId)).run();
		recordAudit(tx, actor, {
			action: 'session.minutes',
			officeId: session.officeId,
			target: { type: 'session', id: sessionId },
			summary: `保存集中学习“${session.title}”的会议纪要（${Array.from(minutes.trim()).length} 字）`
		});
	});
	return { ok: true };
}

/** Sessions a member can attend (their office hosts or is invited), soonest first, from `from` on. */
export function studySessionsForUser(db: Queryable, officeId: number | null, from: Date, limit = 5) {
	if (!officeId) return [];
	return db
		.select({
			id: studySessions.id,
			title: studySessions.title,
			startsAt: studySessions.startsAt,
			endsAt: studySessions.endsAt,
			place: studySessions.place,
			leader: studySessions.leader,
			hours: studySessions.hours
		})
		.from(studySessions)
		.where(
			and(
				gte(studySessions.endsAt, new Date(from.getTime() - CHECKIN_MARGIN_MS)),
				or(
					eq(studySessions.officeId, officeId),
					// Invited, by an office above theirs (the only invitations that count: studySessionOfficeIds).
					and(
						inArray(studySessions.officeId, ancestorIds(db, officeId)),
						sql`${studySessions.id} IN (SELECT session_id FROM study_session_offices WHERE office_id = ${officeId})`
					)
				)
			)
		)
		.orderBy(asc(studySessions.startsAt))
		.limit(limit)
		.all();
}

export function officeStudySessions(db: Queryable, officeIds: number[]) {
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

/**
 * A session, if the actor manages its office: the one scope check of every admin page and action
 * on a session. To anyone else it does not exist.
 */
export function managedStudySession(
	db: Queryable,
	actor: Actor,
	sessionId: number
): StudySession | undefined {
	const s = db.select().from(studySessions).where(eq(studySessions.id, sessionId)).get();
	return s && canManageOffice(db, actor, s.officeId) ? s : undefined;
}

/** What the check-in screen shows now: whether check-in is open, this minute's code, who has checked in. */
export function checkinScreen(db: Queryable, session: StudySession, now = new Date()) {
	const open = isCheckinOpen(session, now);
	const attended =
		db.select({ n: count() }).from(attendance).where(eq(attendance.sessionId, session.id)).get()?.n ?? 0;
	return {
		title: session.title,
		open,
		code: open ? checkinCode(session, now) : null,
		// Seconds until the code changes: the page refreshes then.
		refreshIn: Math.ceil((CODE_WINDOW_MS - (now.getTime() % CODE_WINDOW_MS)) / 1000),
		attended
	};
}

/** A session as its page shows it to an admin who manages its office (never its check-in secret). */
export function studySessionForAdmin(db: Queryable, actor: Actor, sessionId: number) {
	const s = managedStudySession(db, actor, sessionId);
	if (!s) return undefined;
	const { checkinSecret: _secret, ...session } = s;
	const covered = db
		.select({ slug: modules.slug, title: modules.title })
		.from(studySessionModules)
		.innerJoin(modules, eq(modules.id, studySessionModules.moduleId))
		.where(eq(studySessionModules.sessionId, s.id))
		.all();
	return { session, modules: covered };
}

/** The roster: everyone who may attend, with whether and how they checked in. */
export function roster(db: Queryable, sessionId: number) {
	const ids = eligibleUserIds(db, sessionId);
	if (ids.length === 0) return [];
	return db
		.select({
			userId: users.id,
			name: users.name,
			officeName: offices.name,
			checkedInAt: attendance.checkedInAt,
			method: attendance.method
		})
		.from(users)
		.innerJoin(offices, eq(offices.id, users.officeId))
		.leftJoin(attendance, and(eq(attendance.userId, users.id), eq(attendance.sessionId, sessionId)))
		.where(inArray(users.id, ids))
		.orderBy(asc(offices.sortOrder), ...PINYIN_ORDER)
		.all();
}
