import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDb, addUser, seedTree, SYSADMIN } from '../helpers/db';
import {
	checkIn,
	checkinCode,
	checkinScreen,
	invitableOfficeIds,
	managedStudySession,
	roster,
	saveMinutes,
	scheduleStudySession,
	studySessionsForUser,
	setAttendance,
	shanghaiInstant
} from '../../src/lib/server/study-sessions';
import { hoursInYear } from '../../src/lib/server/courses/hours';
import { listNotifications } from '../../src/lib/server/notifications';
import { attendance, studySessionOffices, studySessions } from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let tree: ReturnType<typeof seedTree>;
let admin: { id: number; name: string; role: 'office_admin'; officeId: number };
let member: { id: number; officeId: number };
let outsider: { id: number; officeId: number };

const input = {
	title: '党组理论学习中心组集中学习',
	day: '2026-11-25',
	start: '09:00',
	end: '12:00',
	place: '机关三楼会议室',
	leader: '办公室主任',
	hours: '3'
};

beforeEach(async () => {
	db = testDb();
	tree = seedTree(db);
	const a = await addUser(db, { username: 'lishi.admin', role: 'office_admin', officeId: tree.lishi.id });
	admin = { id: a.id, name: a.name, role: 'office_admin', officeId: tree.lishi.id };
	member = {
		id: (await addUser(db, { username: 'lishi.m', officeId: tree.lishi.id })).id,
		officeId: tree.lishi.id
	};
	outsider = {
		id: (await addUser(db, { username: 'xiaoyi.m', officeId: tree.xiaoyi.id })).id,
		officeId: tree.xiaoyi.id
	};
});

function schedule(over: Record<string, unknown> = {}) {
	const r = scheduleStudySession(db, admin, { ...input, ...over } as never);
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return db.select().from(studySessions).where(eq(studySessions.id, r.id)).get()!;
}

describe('study sessions', () => {
	it('validates the schedule form and notifies the office’s members', () => {
		expect(scheduleStudySession(db, admin, { ...input, title: '', end: '08:00' })).toMatchObject({
			ok: false,
			errors: { title: expect.any(String), end: '结束时间须晚于开始时间' }
		});
		const s = schedule();
		expect(s.startsAt.toISOString()).toBe('2026-11-25T01:00:00.000Z');
		expect(listNotifications(db, member.id).map((n) => n.kind)).toEqual(['session']);
		expect(listNotifications(db, outsider.id)).toEqual([]);
	});

	it('check-in with the current code credits the session’s 学时 once', () => {
		const s = schedule();
		const during = new Date('2026-11-25T01:30:00Z');
		const r = checkIn(db, member, s.id, checkinCode(s, during), during);
		expect(r).toEqual({ ok: true, already: false, hours: 3, title: s.title });
		expect(
			checkIn(db, member, s.id, checkinCode(s, during), new Date(during.getTime() + 5000))
		).toMatchObject({ ok: true, already: true });
		expect(hoursInYear(db, member.id, 2026)).toBe(3);
		// The code of the previous minute still counts (a slow phone).
		const other = { id: admin.id, officeId: tree.lishi.id };
		expect(
			checkIn(db, other, s.id, checkinCode(s, new Date(during.getTime() - 60_000)), during)
		).toMatchObject({ ok: true });
	});

	it('refuses an expired code, another session’s code, a wrong code and an outsider', () => {
		const s = schedule();
		const t = schedule({ title: '另一场学习', place: '二楼' });
		const during = new Date('2026-11-25T01:30:00Z');
		expect(
			checkIn(db, member, s.id, checkinCode(s, new Date(during.getTime() - 5 * 60_000)), during)
		).toEqual({ ok: false, message: '签到码已过期，请输入屏幕上最新的签到码' });
		expect(checkIn(db, member, s.id, checkinCode(t, during), during)).toEqual({
			ok: false,
			message: '这是另一场集中学习的签到码'
		});
		const wrong = String((Number(checkinCode(s, during)) + 1) % 1_000_000).padStart(6, '0');
		expect(checkIn(db, member, s.id, wrong, during)).toMatchObject({ ok: false });
		expect(checkIn(db, member, s.id, 'abc', during)).toEqual({ ok: false, message: '请输入 6 位数字签到码' });
		expect(checkIn(db, outsider, s.id, checkinCode(s, during), during)).toEqual({
			ok: false,
			message: '您所在单位不在本次集中学习的参加范围内'
		});
		expect(
			checkIn(
				db,
				member,
				s.id,
				checkinCode(s, new Date('2026-11-25T05:00:00Z')),
				new Date('2026-11-25T05:00:00Z')
			)
		).toEqual({ ok: false, message: '签到已经结束' });
		expect(hoursInYear(db, member.id, 2026)).toBe(0);
	});

	it('members of invited offices below the host may check in; the admin corrects attendance by hand', async () => {
		const c = await addUser(db, { username: 'city.admin', role: 'office_admin', officeId: tree.city.id });
		const cityAdmin = { id: c.id, name: c.name, role: 'office_admin' as const, officeId: tree.city.id };
		const r = scheduleStudySession(db, cityAdmin, {
			...input,
			invitedOfficeIds: [String(tree.xiaoyi.id), String(tree.lishi.id)]
		});
		if (!r.ok) throw new Error(JSON.stringify(r.errors));
		const s = db.select().from(studySessions).where(eq(studySessions.id, r.id)).get()!;
		expect(listNotifications(db, outsider.id).map((n) => n.kind)).toEqual(['session']);
		const during = new Date('2026-11-25T01:30:00Z');
		expect(checkIn(db, outsider, s.id, checkinCode(s, during), during)).toMatchObject({ ok: true });
		expect(setAttendance(db, cityAdmin, s.id, member.id, true, during)).toEqual({ ok: true });
		expect(
			roster(db, s.id)
				.filter((r) => r.checkedInAt)
				.map((r) => r.method)
				.sort()
		).toEqual(['code', 'manual']);
		expect(hoursInYear(db, member.id, 2026)).toBe(3);
		expect(setAttendance(db, cityAdmin, s.id, member.id, false, during)).toEqual({ ok: true });
		expect(hoursInYear(db, member.id, 2026)).toBe(0);
		// An admin of an invited office below cannot touch the city's session.
		expect(setAttendance(db, admin, s.id, member.id, true, during)).toMatchObject({ ok: false });
		expect(hoursInYear(db, member.id, 2026)).toBe(0);
	});

	it('refuses inviting a sibling or the parent office, with a Chinese message, and writes nothing', async () => {
		const cityMember = await addUser(db, { username: 'city.m', officeId: tree.city.id });
		for (const office of [tree.xiaoyi, tree.city]) {
			expect(scheduleStudySession(db, admin, { ...input, invitedOfficeIds: [String(office.id)] })).toEqual({
				ok: false,
				errors: { invitedOfficeIds: '只能邀请本单位的下级单位（您管理范围内的单位）参加' }
			});
		}
		expect(db.select().from(studySessions).all()).toEqual([]);
		for (const id of [member.id, outsider.id, cityMember.id]) expect(listNotifications(db, id)).toEqual([]);
		expect(invitableOfficeIds(db, admin)).toEqual([]);
	});

	it('an invitation outside the host’s offices (made before the rule) reaches nobody', () => {
		const s = schedule();
		db.insert(studySessionOffices).values({ sessionId: s.id, officeId: tree.xiaoyi.id }).run();
		const during = new Date('2026-11-25T01:30:00Z');
		expect(
			roster(db, s.id)
				.map((r) => r.userId)
				.sort()
		).toEqual([admin.id, member.id].sort());
		expect(studySessionsForUser(db, outsider.officeId, during)).toEqual([]);
		expect(studySessionsForUser(db, member.officeId, during).map((x) => x.id)).toEqual([s.id]);
		expect(checkIn(db, outsider, s.id, checkinCode(s, during), during)).toMatchObject({ ok: false });
		expect(setAttendance(db, admin, s.id, outsider.id, true, during)).toEqual({
			ok: false,
			message: '此人不在本次集中学习的参加范围内'
		});
		expect(db.select().from(attendance).all()).toEqual([]);
		expect(hoursInYear(db, outsider.id, 2026)).toBe(0);
	});

	it('caps 学时 at the session’s length and refuses dates that do not exist', () => {
		expect(scheduleStudySession(db, admin, { ...input, end: '11:30' })).toEqual({
			ok: false,
			errors: { hours: '学时不能超过学习时长（09:00–11:30 共 2.5 小时）' }
		});
		expect(scheduleStudySession(db, admin, { ...input, hours: '2.3' })).toEqual({
			ok: false,
			errors: { hours: '学时须为 0.5 的倍数' }
		});
		expect(scheduleStudySession(db, admin, { ...input, day: '2026-02-30' })).toEqual({
			ok: false,
			errors: { day: '日期不存在，请检查年、月、日（年份为 2000–2099）' }
		});
		expect(scheduleStudySession(db, admin, { ...input, day: '2026-13-01' })).toMatchObject({
			ok: false,
			errors: { day: expect.stringContaining('日期不存在') }
		});
		expect(scheduleStudySession(db, admin, { ...input, start: '24:00' })).toMatchObject({
			ok: false,
			errors: { start: '开始时间应为“时:分”，如 09:30' }
		});
		expect(db.select().from(studySessions).all()).toEqual([]);
		expect(schedule({ end: '11:30', hours: '2.5' }).hours).toBe(2.5);
	});

	it('the admin cannot credit themself by hand, nor anyone before the session begins', () => {
		const s = schedule();
		const before = new Date('2026-11-24T01:00:00Z');
		expect(setAttendance(db, admin, s.id, member.id, true, before)).toEqual({
			ok: false,
			message: '集中学习还没有开始，开始后才能补登签到'
		});
		const during = new Date('2026-11-25T01:30:00Z');
		expect(setAttendance(db, admin, s.id, admin.id, true, during)).toEqual({
			ok: false,
			message: '不能为自己补登签到，请在签到屏幕上用签到码签到'
		});
		expect(hoursInYear(db, admin.id, 2026)).toBe(0);
		expect(hoursInYear(db, member.id, 2026)).toBe(0);
		// By the code, like everyone else.
		expect(
			checkIn(db, { id: admin.id, officeId: admin.officeId }, s.id, checkinCode(s, during), during)
		).toMatchObject({ ok: true });
		expect(hoursInYear(db, admin.id, 2026)).toBe(3);
	});

	it('credits one session per stretch of time: overlapping sessions give no extra 学时', () => {
		const s = schedule();
		const t = schedule({ title: '同时段的另一场', start: '10:00', end: '11:00', hours: '1' });
		const during = new Date('2026-11-25T02:10:00Z');
		expect(checkIn(db, member, s.id, checkinCode(s, during), during)).toMatchObject({ ok: true });
		expect(checkIn(db, member, t.id, checkinCode(t, during), during)).toEqual({
			ok: false,
			message: `同一时间已在《${s.title}》签到，同一段时间只计一场集中学习的学时`
		});
		expect(setAttendance(db, admin, t.id, member.id, true, during)).toMatchObject({ ok: false });
		expect(hoursInYear(db, member.id, 2026)).toBe(3);
		// A session later that day is a different stretch of time.
		const u = schedule({ title: '下午学习', start: '14:00', end: '16:00', hours: '2' });
		expect(setAttendance(db, admin, u.id, member.id, true, new Date('2026-11-25T06:00:00Z'))).toEqual({
			ok: true
		});
		expect(hoursInYear(db, member.id, 2026)).toBe(5);
	});

	it('Shanghai wall-clock times convert to the right instant', () => {
		expect(shanghaiInstant('2027-01-01', '00:10').toISOString()).toBe('2026-12-31T16:10:00.000Z');
	});
});

describe('a study session for its admins', () => {
	it('exists only for admins who manage its office: the host office’s, those above it and the sysadmin', async () => {
		const s = schedule();
		const cityAdmin = {
			id: (await addUser(db, { username: 'city.admin', role: 'office_admin', officeId: tree.city.id })).id,
			role: 'office_admin' as const,
			officeId: tree.city.id
		};
		const xiaoyiAdmin = {
			id: (await addUser(db, { username: 'xiaoyi.admin', role: 'office_admin', officeId: tree.xiaoyi.id }))
				.id,
			name: '孝义管理员',
			role: 'office_admin' as const,
			officeId: tree.xiaoyi.id
		};
		for (const actor of [admin, cityAdmin, SYSADMIN])
			expect(managedStudySession(db, actor, s.id)?.id).toBe(s.id);
		expect(managedStudySession(db, xiaoyiAdmin, s.id)).toBeUndefined();
		expect(
			managedStudySession(db, { id: member.id, role: 'cadre', officeId: member.officeId }, s.id)
		).toBeUndefined();
		expect(managedStudySession(db, admin, s.id + 1000)).toBeUndefined();
		// Its actions refuse the admin of another office alike, and change nothing.
		const during = new Date('2026-11-25T01:30:00Z');
		const refused = { ok: false, message: '没有找到这场集中学习，或不在您的管理范围内' };
		expect(setAttendance(db, xiaoyiAdmin, s.id, member.id, true, during)).toEqual(refused);
		expect(saveMinutes(db, xiaoyiAdmin, s.id, '纪要')).toEqual(refused);
		expect(db.select().from(attendance).all()).toEqual([]);
		expect(managedStudySession(db, admin, s.id)?.minutes).toBe('');
	});

	it('the check-in screen shows this minute’s code while check-in is open, and how many have checked in', () => {
		const s = schedule();
		const before = new Date('2026-11-25T00:00:00Z');
		expect(checkinScreen(db, s, before)).toMatchObject({
			title: s.title,
			open: false,
			code: null,
			attended: 0
		});
		const during = new Date('2026-11-25T01:30:20Z');
		checkIn(db, member, s.id, checkinCode(s, during), during);
		expect(checkinScreen(db, s, during)).toEqual({
			title: s.title,
			open: true,
			code: checkinCode(s, during),
			refreshIn: 40,
			attended: 1
		});
	});
});
