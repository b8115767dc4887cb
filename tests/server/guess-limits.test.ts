import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDb, addUser, seedTree } from '../helpers/db';
import {
	checkIn,
	checkinCode,
	CODE_WINDOW_MS,
	MAX_WRONG_CODES,
	scheduleStudySession,
	WRONG_CODE_WINDOW_MS
} from '../../src/lib/server/study-sessions';
import { hoursInYear } from '../../src/lib/server/courses/hours';
import { syncContent } from '../../src/lib/server/content/sync';
import {
	createLive,
	joinLive,
	liveState,
	MAX_WRONG_PINS,
	WRONG_PIN_WINDOW_MS
} from '../../src/lib/server/live';
import { modules, studySessions } from '../../src/lib/server/db/schema';
import { reserveAttempt } from '../../src/lib/server/rate-limit';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let tree: ReturnType<typeof seedTree>;
let admin: { id: number; name: string; role: 'office_admin'; officeId: number };
let member: { id: number; officeId: number };
let colleague: { id: number; officeId: number };

beforeEach(async () => {
	db = testDb();
	tree = seedTree(db);
	admin = {
		id: (await addUser(db, { username: 'lishi.admin', role: 'office_admin', officeId: tree.lishi.id })).id,
		name: '离石管理员',
		role: 'office_admin',
		officeId: tree.lishi.id
	};
	member = {
		id: (await addUser(db, { username: 'lishi.m', officeId: tree.lishi.id })).id,
		officeId: tree.lishi.id
	};
	colleague = {
		id: (await addUser(db, { username: 'lishi.n', officeId: tree.lishi.id })).id,
		officeId: tree.lishi.id
	};
});

/** Six-digit strings near `code` that are none of `valid`. */
function wrongCodes(code: string, valid: string[], n: number): string[] {
	const out: string[] = [];
	for (let i = 1; out.length < n; i++) {
		const c = String((Number(code) + i) % 1_000_000).padStart(6, '0');
		if (!valid.includes(c)) out.push(c);
	}
	return out;
}

describe('check-in code guesses', () => {
	const during = new Date('2026-11-25T01:30:00Z');

	function session() {
		const input = {
			title: '集中学习',
			day: '2026-11-25',
			start: '09:00',
			end: '11:30',
			place: '三楼会议室',
			leader: '主任',
			hours: '2'
		};
		const r = scheduleStudySession(db, admin, input);
		if (!r.ok) throw new Error(JSON.stringify(r.errors));
		return db.select().from(studySessions).where(eq(studySessions.id, r.id)).get()!;
	}

	it('after 10 wrong codes in 10 minutes a member is refused, even with the right code, until the window passes', () => {
		const s = session();
		const code = checkinCode(s, during);
		const valid = [code, checkinCode(s, new Date(during.getTime() - CODE_WINDOW_MS))];
		for (const guess of wrongCodes(code, valid, MAX_WRONG_CODES)) {
			expect(checkIn(db, member, s.id, guess, during).ok).toBe(false);
		}
		expect(checkIn(db, member, s.id, code, during)).toEqual({
			ok: false,
			message: '尝试次数过多，请 10 分钟后再试'
		});
		expect(hoursInYear(db, member.id, 2026)).toBe(0);
		// Someone else in the room is not affected.
		expect(checkIn(db, colleague, s.id, code, during)).toMatchObject({ ok: true });
		const later = new Date(during.getTime() + WRONG_CODE_WINDOW_MS + 1000);
		expect(checkIn(db, member, s.id, checkinCode(s, later), later)).toMatchObject({
			ok: true,
			already: false
		});
		expect(hoursInYear(db, member.id, 2026)).toBe(2);
	});

	it('right codes are not counted: checking in again and again never locks a member out', () => {
		const s = session();
		for (let i = 0; i < MAX_WRONG_CODES + 2; i++) {
			expect(checkIn(db, member, s.id, checkinCode(s, during), during)).toMatchObject({ ok: true });
		}
	});
});

describe('live quiz PIN guesses', () => {
	it('after 10 wrong PINs in 10 minutes a member is refused, even with the right PIN, until the window passes', () => {
		syncContent(db, 'content');
		const moduleId = db.select().from(modules).get()!.id;
		const live = createLive(db, admin, { moduleId, count: 3, seconds: 20, speedBonus: true });
		if (!live.ok) throw new Error(JSON.stringify(live.errors));
		const t0 = new Date();
		for (const guess of wrongCodes(live.pin, [live.pin], MAX_WRONG_PINS)) {
			expect(joinLive(db, member, guess, t0)).toEqual({
				ok: false,
				message: '没有进行中的现场答题使用这个 PIN 码'
			});
		}
		expect(joinLive(db, member, live.pin, t0)).toEqual({
			ok: false,
			message: '尝试次数过多，请 10 分钟后再试'
		});
		expect(joinLive(db, colleague, live.pin, t0)).toMatchObject({ ok: true });
		expect(liveState(db, live.id, null)!.players).toBe(1);
		expect(joinLive(db, member, live.pin, new Date(t0.getTime() + WRONG_PIN_WINDOW_MS + 1000))).toMatchObject(
			{ ok: true }
		);
	});
});

describe('the attempt limiter', () => {
	it('reserves under every limit or under none, and says when a place frees up', () => {
		const t0 = new Date('2026-11-24T08:00:00Z');
		const narrow = { key: 'a', max: 1, windowMs: 60_000 };
		const wide = { key: 'b', max: 3, windowMs: 60_000 };
		expect(reserveAttempt(db, [narrow, wide], t0)).toMatchObject({ ok: true });
		expect(reserveAttempt(db, [narrow, wide], new Date(t0.getTime() + 20_000))).toEqual({
			ok: false,
			retryAfterMs: 40_000
		});
		// The refused attempt recorded nothing under `wide`: two places are still free there.
		expect(reserveAttempt(db, [wide], t0)).toMatchObject({ ok: true });
		expect(reserveAttempt(db, [wide], t0)).toMatchObject({ ok: true });
		expect(reserveAttempt(db, [wide], t0)).toMatchObject({ ok: false });
		expect(reserveAttempt(db, [narrow, wide], new Date(t0.getTime() + 60_000))).toMatchObject({ ok: true });
	});
});
