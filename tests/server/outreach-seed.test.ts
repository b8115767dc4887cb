import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { testDb } from '../helpers/db';
import { seedOrganisation } from '../../src/lib/server/seed';
import { syncContent } from '../../src/lib/server/content/sync';
import { seedOutreach } from '../../src/lib/server/seed/outreach-activity';
import { REAL_NAMES_IN_SOURCE } from '../../src/lib/server/seed/people';
import {
	modules,
	offices,
	outreachPhotos,
	outreachPlaces,
	outreachTalkSpeakers,
	outreachTalkTopics,
	outreachTalks,
	pointsLedger,
	users
} from '../../src/lib/server/db/schema';
import { descendantIds } from '../../src/lib/server/org/offices';
import { mediaFilePath } from '../../src/lib/server/media/store';
import { shanghaiDay, shanghaiMidnight } from '../../src/lib/server/time';
import { OUTREACH_LIMITS, PLACE_KINDS, TALK_FORMATS } from '../../src/lib/outreach';
import { getTalk, saveTalk, talkInputOf } from '../../src/lib/server/outreach';

// A fixed "now" (a Monday afternoon in Shanghai): the demo is the same on every run.
const NOW = new Date('2026-11-30T07:30:00Z');
const TODAY = shanghaiDay(NOW);
const FOUR_MONTHS_AGO = shanghaiDay(new Date(shanghaiMidnight(TODAY).getTime() - 121 * 86_400_000));

let db: ReturnType<typeof testDb>;
let dir: string;
let seeded: number;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'xuexi-outreach-seed-'));
	db = testDb();
	await seedOrganisation(db);
	syncContent(db, undefined, NOW);
	seeded = await seedOutreach(db, NOW, dir);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const submittedTalks = () =>
	db
		.select()
		.from(outreachTalks)
		.where(eq(outreachTalks.status, 'submitted'))
		.orderBy(asc(outreachTalks.id))
		.all();
const speakersOf = (talkId: number) =>
	db
		.select({
			id: users.id,
			role: users.role,
			active: users.active,
			officeId: users.officeId,
			name: users.name
		})
		.from(outreachTalkSpeakers)
		.innerJoin(users, eq(users.id, outreachTalkSpeakers.userId))
		.where(eq(outreachTalkSpeakers.talkId, talkId))
		.all();

describe('demo 宣讲', () => {
	it('gives every office with members 3 to 6 places of mixed kinds', () => {
		const withMembers = db
			.selectDistinct({ id: users.officeId })
			.from(users)
			.all()
			.map((r) => r.id)
			.filter((id): id is number => id !== null);
		expect(withMembers.length).toBe(14);
		for (const officeId of withMembers) {
			const places = db.select().from(outreachPlaces).where(eq(outreachPlaces.officeId, officeId)).all();
			expect(places.length, `office ${officeId}`).toBeGreaterThanOrEqual(3);
			expect(places.length, `office ${officeId}`).toBeLessThanOrEqual(6);
			expect(new Set(places.map((p) => p.kind)).size, `office ${officeId}`).toBeGreaterThanOrEqual(2);
			for (const p of places) {
				expect(PLACE_KINDS).toContain(p.kind);
				expect(p.active).toBe(true);
				expect(p.name.length).toBeLessThanOrEqual(OUTREACH_LIMITS.placeName);
			}
		}
		// The places the source report names, with their township.
		const lishi = db.select().from(offices).where(eq(offices.code, 'lishi')).get()!;
		expect(
			db.select().from(outreachPlaces).where(eq(outreachPlaces.officeId, lishi.id)).all()
		).toContainEqual(expect.objectContaining({ name: '陈家塔村', township: '吴城镇', kind: 'village' }));
	});

	it('holds 60–120 submitted talks over the last four months, each complete as the form demands', () => {
		const talks = submittedTalks();
		expect(seeded).toBe(talks.length);
		expect(talks.length).toBeGreaterThanOrEqual(60);
		expect(talks.length).toBeLessThanOrEqual(120);
		const moduleIds = new Set(
			db
				.select({ id: modules.id })
				.from(modules)
				.all()
				.map((m) => m.id)
		);
		for (const t of talks) {
			const where = `talk ${t.id}`;
			expect(t.heldAt!.getTime(), where).toBeLessThan(NOW.getTime());
			expect(t.day, where).toBe(shanghaiDay(t.heldAt!));
			expect(t.day! >= FOUR_MONTHS_AGO && t.day! <= TODAY, where).toBe(true);
			const minutes = (t.heldAt!.getTime() - shanghaiMidnight(t.day!).getTime()) / 60_000;
			expect(minutes, where).toBeGreaterThanOrEqual(9 * 60);
			expect(minutes, where).toBeLessThanOrEqual(16 * 60);
			expect(t.submittedAt!.getTime(), where).toBeGreaterThanOrEqual(t.heldAt!.getTime());
			expect(t.submittedAt!.getTime(), where).toBeLessThanOrEqual(NOW.getTime());
			expect(t.audience!, where).toBeGreaterThanOrEqual(15);
			expect(t.audience!, where).toBeLessThanOrEqual(300);
			expect(TALK_FORMATS).toContain(t.format);
			expect([...t.summary].length, where).toBeGreaterThanOrEqual(OUTREACH_LIMITS.summaryMin);
			expect([...t.summary].length, where).toBeLessThanOrEqual(300);
			expect(t.otherSpeakers.length, where).toBeLessThanOrEqual(OUTREACH_LIMITS.otherSpeakers);
			const place = db.select().from(outreachPlaces).where(eq(outreachPlaces.id, t.placeId!)).get()!;
			expect(place.officeId, where).toBe(t.officeId);
			const topics = db
				.select({ topic: outreachTalkTopics.topic })
				.from(outreachTalkTopics)
				.where(eq(outreachTalkTopics.talkId, t.id))
				.all()
				.map((r) => r.topic);
			expect(topics.length, where).toBeGreaterThan(0);
			for (const topic of topics) {
				const [kind, value] = topic.split(':') as [string, string];
				if (kind === 'm') expect(moduleIds.has(Number(value)), `${where} ${topic}`).toBe(true);
				else {
					expect(kind, `${where} ${topic}`).toBe('p');
					expect(Number(value)).toBeGreaterThanOrEqual(0);
					expect(Number(value)).toBeLessThanOrEqual(16);
				}
			}
		}
		// Nothing today: a user's points and figures of today are their own (the e2e tests count on it).
		expect(talks.filter((t) => t.day === TODAY || shanghaiDay(t.submittedAt!) === TODAY)).toEqual([]);
		// Spread over the period, not bunched: talks in each of the last four 30-day stretches.
		const ages = talks.map((t) => (NOW.getTime() - t.heldAt!.getTime()) / 86_400_000);
		for (let k = 0; k < 4; k++) {
			expect(
				ages.filter((a) => a >= k * 30 && a < (k + 1) * 30).length,
				`days ${k * 30}–${(k + 1) * 30}`
			).toBeGreaterThan(5);
		}
		// Formats mixed; summaries varied.
		expect(new Set(talks.map((t) => t.format)).size).toBe(4);
		expect(new Set(talks.map((t) => t.summary)).size).toBe(talks.length);
	});

	it('has member speakers of the talk office or its descendants only, recorded by a speaker or the office admin', () => {
		for (const t of submittedTalks()) {
			const scope = descendantIds(db, t.officeId);
			const speakers = speakersOf(t.id);
			expect(speakers.length, `talk ${t.id}`).toBeGreaterThanOrEqual(1);
			for (const s of speakers) {
				expect(['cadre', 'office_admin'], `talk ${t.id}`).toContain(s.role);
				expect(s.active).toBe(true);
				expect(scope, `talk ${t.id} speaker ${s.id}`).toContain(s.officeId);
			}
			const recorder = db.select().from(users).where(eq(users.id, t.recordedBy)).get()!;
			if (recorder.role === 'cadre') {
				// A cadre's talk is their own office's.
				expect(recorder.officeId, `talk ${t.id}`).toBe(t.officeId);
				expect(speakers.map((s) => s.id)).toContain(recorder.id);
			} else {
				expect(recorder.role).toBe('office_admin');
				expect(descendantIds(db, recorder.officeId!)).toContain(t.officeId);
			}
		}
		// The demo cadre has talks to show in 学习档案.
		const cadre = db.select().from(users).where(eq(users.username, 'lishi.cadre')).get()!;
		const own = db
			.select({ talkId: outreachTalkSpeakers.talkId })
			.from(outreachTalkSpeakers)
			.innerJoin(outreachTalks, eq(outreachTalks.id, outreachTalkSpeakers.talkId))
			.where(eq(outreachTalkSpeakers.userId, cadre.id))
			.all();
		expect(own.length).toBeGreaterThanOrEqual(3);
	});

	it('names no real person of the source report, in speakers or summaries', () => {
		for (const t of db.select().from(outreachTalks).all()) {
			const text = `${t.summary} ${t.otherSpeakers} ${speakersOf(t.id)
				.map((s) => s.name)
				.join(' ')}`;
			expect(
				[...REAL_NAMES_IN_SOURCE].filter((name) => text.includes(name)),
				`talk ${t.id}`
			).toEqual([]);
		}
	});

	it('keeps a few drafts, without points or photos', () => {
		const drafts = db.select().from(outreachTalks).where(eq(outreachTalks.status, 'draft')).all();
		expect(drafts.length).toBeGreaterThanOrEqual(2);
		expect(drafts.length).toBeLessThanOrEqual(8);
		for (const d of drafts) {
			expect(d.submittedAt).toBeNull();
			expect(db.select().from(outreachPhotos).where(eq(outreachPhotos.talkId, d.id)).all()).toEqual([]);
			expect(
				db
					.select()
					.from(pointsLedger)
					.all()
					.filter((r) => r.idempotencyKey.startsWith(`outreach:${d.id}:`))
			).toEqual([]);
		}
		const cadre = db.select().from(users).where(eq(users.username, 'lishi.cadre')).get()!;
		expect(drafts.map((d) => d.recordedBy)).toContain(cadre.id);
	});

	it('stores 1–3 photos for about half the talks, on disk, re-encoded JPEG without metadata', async () => {
		const talks = submittedTalks();
		const photos = db.select().from(outreachPhotos).all();
		const perTalk = new Map<number, number>();
		for (const p of photos) perTalk.set(p.talkId, (perTalk.get(p.talkId) ?? 0) + 1);
		expect(perTalk.size / talks.length).toBeGreaterThan(0.35);
		expect(perTalk.size / talks.length).toBeLessThan(0.65);
		expect(Math.max(...perTalk.values())).toBeLessThanOrEqual(3);
		for (const p of photos) {
			for (const [sha, side] of [
				[p.sha256, Math.max(p.width, p.height)],
				[p.thumbSha256, OUTREACH_LIMITS.thumbSide]
			] as const) {
				const file = mediaFilePath(sha, dir);
				expect(existsSync(file), file).toBe(true);
				const meta = await sharp(file).metadata();
				expect(meta.format).toBe('jpeg');
				expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(side);
				expect(meta.exif, file).toBeUndefined();
				expect(meta.xmp, file).toBeUndefined();
				expect(meta.icc, file).toBeUndefined();
			}
			const stored = await sharp(mediaFilePath(p.sha256, dir)).metadata();
			expect([stored.width, stored.height]).toEqual([p.width, p.height]);
		}
		// Every office's list has photos to show.
		const officesWithPhotos = new Set(talks.filter((t) => perTalk.has(t.id)).map((t) => t.officeId));
		expect(officesWithPhotos.size).toBe(14);
		// Different pictures for different talks.
		expect(new Set(photos.map((p) => p.sha256)).size).toBe(photos.length);
	});

	it('pays each member speaker once per talk in the ledger, within the daily cap', () => {
		const rows = db.select().from(pointsLedger).where(eq(pointsLedger.rule, 'outreach_talk')).all();
		const byKey = new Map(rows.map((r) => [r.idempotencyKey, r]));
		expect(byKey.size).toBe(rows.length);
		const perDay = new Map<string, number>();
		for (const r of rows)
			perDay.set(`${r.userId}:${r.day}`, (perDay.get(`${r.userId}:${r.day}`) ?? 0) + r.points);
		for (const total of perDay.values()) expect(total).toBeLessThanOrEqual(6);
		let expected = 0;
		for (const t of submittedTalks()) {
			const place = db.select().from(outreachPlaces).where(eq(outreachPlaces.id, t.placeId!)).get()!;
			for (const s of speakersOf(t.id)) {
				const row = byKey.get(`outreach:${t.id}:${s.id}`);
				const day = shanghaiDay(t.submittedAt!);
				if (!row) {
					// Only a speaker whose day was full already goes without.
					expect(perDay.get(`${s.id}:${day}`), `talk ${t.id} speaker ${s.id}`).toBe(6);
					continue;
				}
				expected++;
				expect(row.userId).toBe(s.id);
				expect(row.officeId).toBe(s.officeId);
				expect(row.day).toBe(day);
				expect(row.createdAt.getTime()).toBe(t.submittedAt!.getTime());
				expect(row.reason).toBe(`宣讲：${place.name}`);
				expect(row.points).toBeGreaterThan(0);
			}
		}
		// No row for anything but a speaker of a submitted talk.
		expect(rows.length).toBe(expected);
		expect(rows.length).toBeGreaterThan(60);
	});

	it('runs once and is the same on every machine', async () => {
		const before = db.select().from(outreachTalks).all().length;
		expect(await seedOutreach(db, NOW, dir)).toBe(0);
		expect(db.select().from(outreachTalks).all().length).toBe(before);
		// A second fresh database (no photos this time) gets the same talks.
		const other = testDb();
		await seedOrganisation(other);
		syncContent(other, undefined, NOW);
		expect(await seedOutreach(other, NOW, null)).toBe(seeded);
		const shape = (d: typeof db) =>
			d
				.select({
					id: outreachTalks.id,
					day: outreachTalks.day,
					heldAt: outreachTalks.heldAt,
					summary: outreachTalks.summary,
					audience: outreachTalks.audience
				})
				.from(outreachTalks)
				.orderBy(asc(outreachTalks.id))
				.all();
		expect(shape(other)).toEqual(shape(db));
		expect(other.select().from(outreachPhotos).all()).toEqual([]);
	});

	// Last: it writes corrections.
	it('passes the talk form’s own checks: each submitted talk, sent back unchanged by the sysadmin, is accepted', () => {
		const admin = db.select().from(users).where(eq(users.username, 'admin')).get()!;
		const actor = { id: admin.id, name: admin.name, role: admin.role, officeId: null, schoolId: null };
		for (const t of submittedTalks()) {
			const view = getTalk(db, actor, t.id)!;
			expect(view.status).toBe('submitted');
			const result = saveTalk(
				db,
				actor,
				{ talkId: t.id, intent: 'submit', input: talkInputOf(view), photos: [], removePhotoIds: [] },
				NOW
			);
			expect(result, `talk ${t.id}`).toMatchObject({ ok: true, id: t.id, status: 'submitted', awarded: [] });
		}
		// The demo cadre opens a talk of his office, and his own draft to go on with.
		const cadre = db.select().from(users).where(eq(users.username, 'lishi.cadre')).get()!;
		const draft = db.select().from(outreachTalks).where(eq(outreachTalks.recordedBy, cadre.id)).all();
		const mine = draft.find((d) => d.status === 'draft')!;
		expect(getTalk(db, cadre, mine.id)?.canEdit).toBe(true);
		const ofOffice = submittedTalks().find((t) => t.officeId === cadre.officeId)!;
		expect(getTalk(db, cadre, ofOffice.id)?.speakers.length).toBeGreaterThan(0);
	});
});
