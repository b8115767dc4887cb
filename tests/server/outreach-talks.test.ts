// 宣讲活动: the talk form's checks, drafts, submit, corrections with their audit rows, points, and
// who sees and edits which talk.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { addUser, seedTree, testDb } from '../helpers/db';
import { createDb, migrateDb, type Db } from '../../src/lib/server/db';
import {
	auditLog,
	modules,
	offices,
	outreachPhotos,
	outreachPlaces,
	outreachTalkSpeakers,
	outreachTalkTopics,
	outreachTalks,
	pointsLedger,
	themes,
	users
} from '../../src/lib/server/db/schema';
import { auditActor } from '../../src/lib/server/audit';
import { totalPoints } from '../../src/lib/server/points/ledger';
import {
	deleteDraft,
	emptyTalkInput,
	getTalk,
	listTalks,
	myDrafts,
	parseTalkForm,
	photoForViewer,
	photosOfTalk,
	saveTalk,
	talkFormOptions,
	talkInputOf,
	TALK_MESSAGES,
	TALK_NOT_FOUND,
	type TalkActor,
	type ProcessedPhoto,
	type TalkInput
} from '../../src/lib/server/outreach';

// 2026-11-25 12:00 in Shanghai.
const NOW = new Date('2026-11-25T04:00:00Z');
const SUMMARY =
	'在联络站向群众宣讲党的二十大精神，结合本地实际讲解全过程人民民主，群众反响热烈，提出了三条意见建议。'.repeat(
		2
	);

type Tree = ReturnType<typeof seedTree> & { street: typeof offices.$inferSelect };
let db: Db;
let tree: Tree;
let people: Record<
	| 'cadre'
	| 'colleague'
	| 'streetCadre'
	| 'otherCadre'
	| 'admin'
	| 'cityAdmin'
	| 'siblingAdmin'
	| 'schoolAdmin'
	| 'retired'
	| 'sys',
	TalkActor
>;
let place: number, otherPlace: number, retiredPlace: number;
let sharedModule: number, siblingModule: number;

async function setup(d: Db) {
	const t = seedTree(d);
	const street = d
		.insert(offices)
		.values({ name: '滨河街道人大工委', code: 'binhe', parentId: t.lishi.id })
		.returning()
		.get();
	const actor = async (
		username: string,
		name: string,
		officeId: number | null,
		role: 'cadre' | 'office_admin' | 'school_admin' | 'sysadmin' = 'cadre'
	) => auditActor({ ...(await addUser(d, { username, name, officeId, role })), schoolId: null }, '192.0.2.7');
	const p = {
		cadre: await actor('zhang', '张三', t.lishi.id),
		colleague: await actor('li', '李四', t.lishi.id),
		streetCadre: await actor('wang', '王五', street.id),
		otherCadre: await actor('zhao', '赵六', t.xiaoyi.id),
		admin: await actor('lishi.admin', '离石管理员', t.lishi.id, 'office_admin'),
		cityAdmin: await actor('city.admin', '市管理员', t.city.id, 'office_admin'),
		siblingAdmin: await actor('xiaoyi.admin', '孝义管理员', t.xiaoyi.id, 'office_admin'),
		schoolAdmin: await actor('school.admin', '党校管理员', t.lishi.id, 'school_admin'),
		retired: await actor('chen', '陈七', t.lishi.id),
		sys: await actor('root', '系统管理员', null, 'sysadmin')
	};
	d.update(users).set({ active: false }).where(eq(users.id, p.retired.id)).run();
	const addPlace = (officeId: number, name: string, active = true) =>
		d
			.insert(outreachPlaces)
			.values({
				officeId,
				name,
				kind: 'liaison_station',
				township: '城北街道',
				active,
				createdAt: NOW,
				updatedAt: NOW
			})
			.returning()
			.get().id;
	const theme = d.insert(themes).values({ slug: 't', name: '主题' }).returning().get();
	const addModule = (slug: string, title: string, ownerOfficeId: number | null) =>
		d
			.insert(modules)
			.values({
				slug,
				themeId: theme.id,
				title,
				summary: '',
				minutes: 10,
				introHtml: '',
				ownerOfficeId,
				quizDefaults: '{}',
				contentHash: slug,
				updatedAt: NOW
			})
			.returning()
			.get().id;
	return {
		tree: { ...t, street },
		people: p,
		place: addPlace(t.lishi.id, '城北人大代表联络站'),
		otherPlace: addPlace(t.xiaoyi.id, '孝义联络站'),
		retiredPlace: addPlace(t.lishi.id, '旧联络站', false),
		sharedModule: addModule('shared', '全过程人民民主', null),
		siblingModule: addModule('xiaoyi-own', '孝义自编模块', t.xiaoyi.id)
	};
}

beforeEach(async () => {
	db = testDb();
	({ tree, people, place, otherPlace, retiredPlace, sharedModule, siblingModule } = await setup(db));
});

/** A complete talk form of 离石区 (the cadre speaking), with `over` changed. */
const form = (over: Partial<TalkInput> = {}): TalkInput => ({
	...emptyTalkInput(),
	date: '2026-11-20',
	time: '14:30',
	placeId: String(place),
	speakers: [String(people.cadre.id)],
	topics: ['p:3', `m:${sharedModule}`],
	audience: '80',
	format: 'lecture',
	summary: SUMMARY,
	...over
});

let shaSeed = 0;
const photo = (): ProcessedPhoto => {
	const hex = (++shaSeed).toString(16).padStart(64, '0');
	return { sha256: hex, thumbSha256: `f${hex.slice(1)}`, width: 1600, height: 1200, size: 300_000 };
};

function save(
	actor: TalkActor,
	input: TalkInput,
	intent: 'draft' | 'submit' = 'submit',
	extra: { talkId?: number; photos?: ProcessedPhoto[]; removePhotoIds?: number[] } = {},
	now = NOW,
	d: Db = db
) {
	return saveTalk(d, actor, { intent, input, photos: [], removePhotoIds: [], ...extra }, now);
}

function submitted(
	actor: TalkActor = people.cadre,
	over: Partial<TalkInput> = {},
	photos: ProcessedPhoto[] = []
) {
	const result = save(actor, form(over), 'submit', { photos });
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result;
}

/** Every row a save could write. */
const written = (d: Db = db) => ({
	talks: d.select().from(outreachTalks).all(),
	speakers: d.select().from(outreachTalkSpeakers).all(),
	topics: d.select().from(outreachTalkTopics).all(),
	photos: d.select().from(outreachPhotos).all(),
	places: d.select().from(outreachPlaces).all(),
	audit: d.select().from(auditLog).all(),
	points: d.select().from(pointsLedger).all()
});

describe('reading the form', () => {
	it('takes trimmed values from FormData or from the multipart reader, every speaker and topic', () => {
		const data = new FormData();
		data.set('date', ' 2026-11-20 ');
		data.append('speakers', '3');
		data.append('speakers', ' 5 ');
		data.append('speakers', '');
		data.append('topics', 'p:3');
		data.set('summary', '第一行\r\n第二行 ');
		data.set('photos', new Blob(['x']));
		const input = parseTalkForm(data);
		expect(input).toMatchObject({
			date: '2026-11-20',
			speakers: ['3', '5'],
			topics: ['p:3'],
			summary: '第一行\n第二行'
		});
		expect(input.audience).toBe('');
		const fromMap = parseTalkForm(
			new Map([
				['audience', [' 120 ']],
				['speakers', ['7', '8']]
			])
		);
		expect(fromMap).toMatchObject({ audience: '120', speakers: ['7', '8'], date: '' });
	});
});

describe('bad input is refused beside its field, and nothing is written', () => {
	const cases: [string, () => Partial<TalkInput>, string, string?][] = [
		['a day more than a week ahead', () => ({ date: '2026-12-03' }), 'date', TALK_MESSAGES.dateLate],
		['a day before the congress', () => ({ date: '2022-10-15' }), 'date', TALK_MESSAGES.dateEarly],
		['a day not in the calendar', () => ({ date: '2026-02-30' }), 'date', TALK_MESSAGES.dateInvalid],
		['a day in another shape', () => ({ date: '20/11/2026' }), 'date', TALK_MESSAGES.dateFormat],
		['a time of 25:00', () => ({ time: '25:00' }), 'time', TALK_MESSAGES.time],
		['an audience of 0', () => ({ audience: '0' }), 'audience', TALK_MESSAGES.audience],
		['an audience of 10001', () => ({ audience: '10001' }), 'audience', TALK_MESSAGES.audience],
		['an audience of abc', () => ({ audience: 'abc' }), 'audience', TALK_MESSAGES.audience],
		['an audience of 1.5', () => ({ audience: '1.5' }), 'audience', TALK_MESSAGES.audience],
		[
			'a speaker of another office',
			() => ({ speakers: [String(people.otherCadre.id)] }),
			'speakers',
			TALK_MESSAGES.speakers
		],
		[
			'a school admin as speaker',
			() => ({ speakers: [String(people.schoolAdmin.id)] }),
			'speakers',
			TALK_MESSAGES.speakers
		],
		[
			'an inactive speaker',
			() => ({ speakers: [String(people.retired.id)] }),
			'speakers',
			TALK_MESSAGES.speakers
		],
		[
			'a sysadmin as speaker',
			() => ({ speakers: [String(people.sys.id)] }),
			'speakers',
			TALK_MESSAGES.speakers
		],
		['a speaker id that is no number', () => ({ speakers: ['abc'] }), 'speakers', TALK_MESSAGES.speakers],
		['an unknown speaker', () => ({ speakers: ['99999'] }), 'speakers', TALK_MESSAGES.speakers],
		['a place of another office', () => ({ placeId: String(otherPlace) }), 'placeId', TALK_MESSAGES.place],
		['a retired place', () => ({ placeId: String(retiredPlace) }), 'placeId', TALK_MESSAGES.place],
		['a place id that is no number', () => ({ placeId: 'x' }), 'placeId', TALK_MESSAGES.place],
		['a format not in the list', () => ({ format: 'party' }), 'format', TALK_MESSAGES.format],
		['report part 17', () => ({ topics: ['p:17'] }), 'topics', TALK_MESSAGES.topics],
		[
			'a module another office owns',
			() => ({ topics: [`m:${siblingModule}`] }),
			'topics',
			TALK_MESSAGES.topics
		],
		['a topic in no known shape', () => ({ topics: ['lesson:3'] }), 'topics', TALK_MESSAGES.topics],
		['a topic text of 101 characters', () => ({ topicText: '题'.repeat(101) }), 'topicText'],
		['other speakers of 201 characters', () => ({ otherSpeakers: '名'.repeat(201) }), 'otherSpeakers'],
		[
			'a summary of 49 characters',
			() => ({ summary: '字'.repeat(49) }),
			'summary',
			'内容摘要应为 50 到 1000 字（现在 49 字）'
		],
		['a summary of 1001 characters', () => ({ summary: '字'.repeat(1001) }), 'summary'],
		['no topic at all', () => ({ topics: [], topicText: '' }), 'topics', TALK_MESSAGES.topicRequired],
		['a new place without its kind', () => ({ placeId: '', newPlaceName: '东关社区' }), 'newPlaceKind'],
		[
			'a new place name of 61 characters',
			() => ({ placeId: '', newPlaceName: '地'.repeat(61), newPlaceKind: 'village' }),
			'newPlaceName'
		]
	];

	it.each(cases)('submitting %s', (_, change, field, message) => {
		const before = written();
		const result = save(people.cadre, form(change()));
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(Object.keys(result.errors)).toEqual([field]);
		if (message) expect(result.errors[field]).toBe(message);
		expect(written()).toEqual(before);
	});

	it('a draft refuses values that are given and wrong, too', () => {
		for (const over of [
			{ audience: '0' },
			{ date: '2026-12-03' },
			{ speakers: [String(people.otherCadre.id)] },
			{ placeId: String(otherPlace) },
			{ summary: '字'.repeat(1001) }
		]) {
			const result = save(people.cadre, { ...emptyTalkInput(), ...over }, 'draft');
			expect(result.ok, JSON.stringify(over)).toBe(false);
		}
		expect(written().talks).toEqual([]);
	});

	it('submitting an empty form names every missing field; a draft needs nothing', () => {
		const result = save(people.cadre, emptyTalkInput());
		expect(result).toEqual({
			ok: false,
			errors: {
				date: TALK_MESSAGES.dateRequired,
				placeId: TALK_MESSAGES.placeRequired,
				speakers: TALK_MESSAGES.speakersRequired,
				topics: TALK_MESSAGES.topicRequired,
				audience: TALK_MESSAGES.audienceRequired,
				format: TALK_MESSAGES.format,
				summary: '内容摘要应为 50 到 1000 字（现在 0 字）'
			}
		});
		expect(written().talks).toEqual([]);
		const draft = save(people.cadre, emptyTalkInput(), 'draft');
		expect(draft).toMatchObject({ ok: true, status: 'draft', awarded: [] });
	});

	it('a short summary is fine in a draft, refused when the draft is submitted', () => {
		const draft = save(people.cadre, form({ summary: '先记几句' }), 'draft');
		expect(draft).toMatchObject({ ok: true, status: 'draft' });
		if (!draft.ok) return;
		const submit = save(people.cadre, form({ summary: '先记几句' }), 'submit', { talkId: draft.id });
		expect(submit).toEqual({ ok: false, errors: { summary: '内容摘要应为 50 到 1000 字（现在 4 字）' } });
		expect(getTalk(db, people.cadre, draft.id)!.status).toBe('draft');
		expect(written().points).toEqual([]);
	});

	it('the edges are allowed: 7 days ahead, the congress day, audiences 1 and 10000, free-text topic alone', () => {
		expect(save(people.cadre, form({ date: '2026-12-02', audience: '1' })).ok).toBe(true);
		expect(save(people.cadre, form({ date: '2022-10-16', audience: '10000' })).ok).toBe(true);
		expect(save(people.cadre, form({ topics: [], topicText: '基层治理' })).ok).toBe(true);
	});

	it('ten photos are refused on photos; with photos kept the limit counts them', () => {
		const before = written();
		const ten = Array.from({ length: 10 }, photo);
		expect(save(people.cadre, form(), 'submit', { photos: ten })).toEqual({
			ok: false,
			errors: { photos: TALK_MESSAGES.photos }
		});
		expect(written()).toEqual(before);
		const draft = save(people.cadre, form(), 'draft', { photos: Array.from({ length: 6 }, photo) });
		if (!draft.ok) throw new Error('draft refused');
		const more = save(people.cadre, form(), 'draft', {
			talkId: draft.id,
			photos: Array.from({ length: 4 }, photo)
		});
		expect(more).toEqual({ ok: false, errors: { photos: TALK_MESSAGES.photos } });
		const ids = photosOfTalk(db, draft.id).map((p) => p.id);
		// Removing one makes room for the fourth.
		const swapped = save(people.cadre, form(), 'draft', {
			talkId: draft.id,
			photos: Array.from({ length: 4 }, photo),
			removePhotoIds: [ids[0]!]
		});
		expect(swapped.ok).toBe(true);
		expect(photosOfTalk(db, draft.id)).toHaveLength(9);
	});
});

describe('the talk as saved', () => {
	it('keeps the Shanghai time and day, place, speakers, topics and summary; the day counts in Shanghai', () => {
		const result = submitted(people.cadre, {
			date: '2026-11-21',
			time: '07:05',
			speakers: [String(people.cadre.id), String(people.streetCadre.id)],
			otherSpeakers: '市人大代表刘华',
			topicText: '基层治理'
		});
		const talk = getTalk(db, people.cadre, result.id)!;
		expect(talk).toMatchObject({
			officeId: tree.lishi.id,
			officeName: '离石区人大常委会',
			status: 'submitted',
			day: '2026-11-21',
			heldAt: new Date('2026-11-20T23:05:00Z'),
			place: { id: place, name: '城北人大代表联络站', township: '城北街道', kind: 'liaison_station' },
			format: 'lecture',
			audience: 80,
			summary: SUMMARY,
			topicText: '基层治理',
			otherSpeakers: '市人大代表刘华',
			recordedBy: { id: people.cadre.id, name: '张三' },
			submittedAt: NOW,
			correctedAt: null,
			correctedBy: null,
			canEdit: false,
			canDelete: false
		});
		// Speakers in pinyin order (王 wang before 张 zhang); parts of the report, then modules.
		expect(talk.speakers.map((s) => s.name)).toEqual(['王五', '张三']);
		expect(talk.topics).toEqual([
			{ key: 'p:3', label: '第三部分', href: '/learn/report/3' },
			{ key: `m:${sharedModule}`, label: '全过程人民民主', href: '/learn/shared' }
		]);
		// The edit form gets the same values back.
		expect(talkInputOf(talk)).toMatchObject({
			date: '2026-11-21',
			time: '07:05',
			placeId: String(place),
			audience: '80'
		});
	});

	it('defaults the time to 09:00', () => {
		const result = submitted(people.cadre, { time: '' });
		expect(getTalk(db, people.cadre, result.id)!.heldAt).toEqual(new Date('2026-11-20T01:00:00Z'));
	});

	it('a new place typed in joins the office list; a cadre adding one is not audited, an admin is', () => {
		const byCadre = submitted(people.cadre, {
			placeId: '',
			newPlaceName: '东关社区',
			newPlaceTownship: '东关街道',
			newPlaceKind: 'community'
		});
		const created = db.select().from(outreachPlaces).where(eq(outreachPlaces.name, '东关社区')).get()!;
		expect(created).toMatchObject({
			officeId: tree.lishi.id,
			township: '东关街道',
			kind: 'community',
			active: true
		});
		expect(getTalk(db, people.cadre, byCadre.id)!.place?.id).toBe(created.id);
		expect(db.select().from(auditLog).where(eq(auditLog.action, 'place.create')).all()).toEqual([]);

		// The same name again is the same place, not a second one.
		const again = submitted(people.cadre, {
			placeId: '',
			newPlaceName: '东关社区',
			newPlaceKind: 'community'
		});
		expect(getTalk(db, people.cadre, again.id)!.place?.id).toBe(created.id);

		submitted(people.admin, { placeId: '', newPlaceName: '西关村', newPlaceKind: 'village' });
		const audited = db.select().from(auditLog).where(eq(auditLog.action, 'place.create')).all();
		expect(audited).toHaveLength(1);
		expect(audited[0]).toMatchObject({
			officeId: tree.lishi.id,
			targetType: 'place',
			actorName: '离石管理员'
		});
		expect(audited[0]!.summary).toContain('西关村');
	});

	it('photos go after the existing ones; removing takes only photos of this talk', () => {
		const other = save(people.cadre, form(), 'draft', { photos: [photo()] });
		const draft = save(people.cadre, form(), 'draft', { photos: [photo(), photo()] });
		if (!other.ok || !draft.ok) throw new Error('refused');
		const [first, second] = photosOfTalk(db, draft.id);
		const otherPhoto = photosOfTalk(db, other.id)[0]!;
		const third = photo();
		const edited = save(people.cadre, form(), 'draft', {
			talkId: draft.id,
			photos: [third],
			removePhotoIds: [first!.id, otherPhoto.id]
		});
		expect(edited.ok).toBe(true);
		const now = photosOfTalk(db, draft.id);
		expect(now.map((p) => p.id)).toEqual([second!.id, now[1]!.id]);
		expect(now[1]).toMatchObject({
			sha256: third.sha256,
			thumbSha256: third.thumbSha256,
			position: 2,
			width: 1600
		});
		expect(photosOfTalk(db, other.id)).toHaveLength(1);
	});

	it("a cadre's office field is ignored: the talk is their own office's", () => {
		const result = submitted(people.cadre, { officeId: String(tree.xiaoyi.id) });
		expect(getTalk(db, people.cadre, result.id)!.officeId).toBe(tree.lishi.id);
	});

	it('a school admin cannot record a talk', () => {
		expect(save(people.schoolAdmin, form())).toEqual({
			ok: false,
			errors: { _form: TALK_MESSAGES.notMember }
		});
	});
});

describe('drafts', () => {
	it('are seen, listed, edited and deleted only by whoever recorded them', () => {
		const draft = save(people.cadre, form(), 'draft', { photos: [photo()] });
		if (!draft.ok) throw new Error('refused');
		const photoId = photosOfTalk(db, draft.id)[0]!.id;
		expect(getTalk(db, people.cadre, draft.id)).toMatchObject({
			status: 'draft',
			canEdit: true,
			canDelete: true
		});
		expect(photoForViewer(db, people.cadre, photoId)).not.toBeNull();
		for (const viewer of [people.colleague, people.admin, people.cityAdmin, people.sys]) {
			expect(getTalk(db, viewer, draft.id)).toBeNull();
			expect(photoForViewer(db, viewer, photoId)).toBeNull();
			expect(save(viewer, form({ audience: '5' }), 'submit', { talkId: draft.id })).toEqual({
				ok: false,
				errors: { _form: TALK_NOT_FOUND }
			});
			expect(deleteDraft(db, viewer, draft.id)).toBe(false);
		}
		expect(myDrafts(db, people.cadre.id).map((d) => d.id)).toEqual([draft.id]);
		expect(myDrafts(db, people.colleague.id)).toEqual([]);
		expect(listTalks(db, people.admin, { officeIds: [], page: 1, pageSize: 20 }).total).toBe(0);

		expect(deleteDraft(db, people.cadre, draft.id)).toBe(true);
		expect(written().talks).toEqual([]);
		expect(written().photos).toEqual([]);
	});

	it('a submitted talk is never deleted', () => {
		const result = submitted();
		expect(deleteDraft(db, people.cadre, result.id)).toBe(false);
		expect(deleteDraft(db, people.admin, result.id)).toBe(false);
		expect(getTalk(db, people.cadre, result.id)).not.toBeNull();
	});
});

describe('after submitting', () => {
	it('the cadre can no longer edit; submitting again changes nothing and pays nothing more', () => {
		const result = submitted();
		const before = written();
		expect(save(people.cadre, form({ audience: '500' }), 'draft', { talkId: result.id })).toEqual({
			ok: false,
			errors: { _form: TALK_MESSAGES.submittedReadOnly }
		});
		// A double click on 提交: the second arrives after the first submitted.
		expect(save(people.cadre, form({ audience: '500' }), 'submit', { talkId: result.id })).toEqual({
			ok: true,
			id: result.id,
			status: 'submitted',
			awarded: []
		});
		expect(written()).toEqual(before);
		expect(getTalk(db, people.colleague, result.id)).toMatchObject({ audience: 80, canEdit: false });
		expect(save(people.colleague, form(), 'submit', { talkId: result.id })).toEqual({
			ok: false,
			errors: { _form: TALK_MESSAGES.noEdit }
		});
	});

	it('an admin of the office corrects it with the same checks, and the changes are audited', () => {
		const result = submitted(people.cadre, {}, [photo()]);
		const later = new Date(NOW.getTime() + 3_600_000);
		expect(save(people.admin, form({ audience: '0' }), 'draft', { talkId: result.id }, later)).toEqual({
			ok: false,
			errors: { audience: TALK_MESSAGES.audience }
		});
		expect(save(people.admin, form({ summary: '太短' }), 'draft', { talkId: result.id }, later).ok).toBe(
			false
		);
		const corrected = save(
			people.admin,
			form({
				audience: '120',
				format: 'forum',
				speakers: [String(people.cadre.id), String(people.colleague.id)]
			}),
			'submit',
			{ talkId: result.id, photos: [photo()] },
			later
		);
		expect(corrected).toEqual({
			ok: true,
			id: result.id,
			status: 'submitted',
			awarded: [{ userId: people.colleague.id, points: 3 }]
		});
		const entries = db.select().from(auditLog).where(eq(auditLog.action, 'talk.correct')).all();
		expect(entries).toHaveLength(1);
		expect(entries[0]).toMatchObject({
			actorUserId: people.admin.id,
			officeId: tree.lishi.id,
			targetType: 'talk',
			targetId: String(result.id),
			at: later
		});
		expect(JSON.parse(entries[0]!.detail!).changes).toEqual([
			{ label: '宣讲人', from: '张三', to: '李四、张三' },
			{ label: '受众人数', from: '80', to: '120' },
			{ label: '宣讲形式', from: '集中宣讲', to: '座谈' },
			{ label: '照片', from: '1 张', to: '2 张（新增 1 张）' }
		]);
		const talk = getTalk(db, people.cadre, result.id)!;
		expect(talk).toMatchObject({ audience: 120, correctedAt: later, correctedBy: { name: '离石管理员' } });
		expect(talk.photos).toHaveLength(2);

		// Saving the same values again is no correction: no audit row.
		const same = save(
			people.admin,
			form({
				audience: '120',
				format: 'forum',
				speakers: [String(people.cadre.id), String(people.colleague.id)]
			}),
			'submit',
			{ talkId: result.id },
			later
		);
		expect(same).toMatchObject({ ok: true, awarded: [] });
		expect(db.select().from(auditLog).where(eq(auditLog.action, 'talk.correct')).all()).toHaveLength(1);
	});

	it('an admin recording or submitting a talk writes talk.record; a cadre does not', () => {
		submitted(people.cadre);
		expect(db.select().from(auditLog).all()).toEqual([]);
		const draft = save(people.admin, form(), 'draft');
		expect(db.select().from(auditLog).all()).toEqual([]);
		if (!draft.ok) throw new Error('refused');
		save(people.admin, form(), 'submit', { talkId: draft.id });
		const direct = submitted(people.cityAdmin, { officeId: String(tree.lishi.id) });
		const entries = db.select().from(auditLog).where(eq(auditLog.action, 'talk.record')).all();
		expect(entries.map((e) => [e.actorUserId, e.targetId, e.officeId])).toEqual([
			[people.admin.id, String(draft.id), tree.lishi.id],
			[people.cityAdmin.id, String(direct.id), tree.lishi.id]
		]);
	});
});

describe('scope', () => {
	it('an admin records for the offices they manage, with speakers of that office and those below', () => {
		const forStreet = save(
			people.cityAdmin,
			form({ officeId: String(tree.lishi.id), speakers: [String(people.streetCadre.id)] })
		);
		expect(forStreet.ok).toBe(true);
		expect(save(people.admin, form({ officeId: String(tree.xiaoyi.id) }))).toEqual({
			ok: false,
			errors: { officeId: TALK_MESSAGES.office }
		});
		// For the 街道 office, a speaker of 离石 (above it) is out of scope, and so is 离石's place.
		const forStreetOffice = save(people.admin, form({ officeId: String(tree.street.id) }));
		expect(forStreetOffice).toEqual({
			ok: false,
			errors: { placeId: TALK_MESSAGES.place, speakers: TALK_MESSAGES.speakers }
		});
	});

	it('who sees, lists, edits and fetches photos of a submitted talk of 离石', () => {
		const result = submitted(people.cadre, {}, [photo()]);
		const photoId = photosOfTalk(db, result.id)[0]!.id;
		const matrix = [
			['cadre of the office', people.colleague, true, false],
			['cadre of another office', people.otherCadre, false, false],
			['cadre of an office below', people.streetCadre, false, false],
			['admin of the office', people.admin, true, true],
			['admin of the parent office', people.cityAdmin, true, true],
			['admin of a sibling office', people.siblingAdmin, false, false],
			['school admin', people.schoolAdmin, false, false],
			['sysadmin', people.sys, true, true]
		] as const;
		for (const [who, viewer, sees, edits] of matrix) {
			const talk = getTalk(db, viewer, result.id);
			expect(talk !== null, who).toBe(sees);
			expect(talk?.canEdit ?? false, who).toBe(edits);
			expect(photoForViewer(db, viewer, photoId) !== null, who).toBe(sees);
			expect(listTalks(db, viewer, { officeIds: [], page: 1, pageSize: 20 }).total, who).toBe(sees ? 1 : 0);
			expect(listTalks(db, viewer, { officeIds: [tree.lishi.id], page: 1, pageSize: 20 }).total, who).toBe(
				sees ? 1 : 0
			);
			const before = written();
			const edit = save(viewer, form({ audience: '999' }), 'submit', { talkId: result.id });
			expect(edit.ok, who).toBe(edits);
			if (!edits) expect(written(), who).toEqual(before);
		}
	});
});

describe('points', () => {
	const ledger = (userId: number) =>
		db
			.select()
			.from(pointsLedger)
			.where(eq(pointsLedger.userId, userId))
			.all()
			.map((r) => ({ key: r.idempotencyKey, points: r.points, reason: r.reason, officeId: r.officeId }));

	it('each member speaker earns 3 once per talk, in their own office, nothing for other speakers', () => {
		const result = submitted(people.admin, {
			speakers: [String(people.cadre.id), String(people.streetCadre.id)],
			otherSpeakers: '市人大代表刘华'
		});
		expect(result.awarded).toEqual([
			{ userId: people.cadre.id, points: 3 },
			{ userId: people.streetCadre.id, points: 3 }
		]);
		expect(ledger(people.streetCadre.id)).toEqual([
			{
				key: `outreach:${result.id}:${people.streetCadre.id}`,
				points: 3,
				reason: '宣讲：城北人大代表联络站',
				officeId: tree.street.id
			}
		]);
		expect(ledger(people.admin.id)).toEqual([]);
	});

	it('are capped at 6 a day', () => {
		const awards = [1, 2, 3].map(() => submitted().awarded);
		expect(awards).toEqual([
			[{ userId: people.cadre.id, points: 3 }],
			[{ userId: people.cadre.id, points: 3 }],
			[]
		]);
		expect(totalPoints(db, people.cadre.id)).toBe(6);
		const tomorrow = new Date(NOW.getTime() + 86_400_000);
		expect(save(people.cadre, form(), 'submit', {}, tomorrow)).toMatchObject({
			ok: true,
			awarded: [{ userId: people.cadre.id, points: 3 }]
		});
	});

	it('a speaker added by a correction earns once, however often corrections add them again', () => {
		const result = submitted();
		const withLi = form({ speakers: [String(people.cadre.id), String(people.colleague.id)] });
		expect(save(people.admin, withLi, 'submit', { talkId: result.id }).ok).toBe(true);
		expect(save(people.admin, form(), 'submit', { talkId: result.id }).ok).toBe(true);
		expect(save(people.admin, withLi, 'submit', { talkId: result.id })).toMatchObject({
			ok: true,
			awarded: []
		});
		expect(ledger(people.colleague.id)).toEqual([
			{
				key: `outreach:${result.id}:${people.colleague.id}`,
				points: 3,
				reason: '宣讲：城北人大代表联络站',
				officeId: tree.lishi.id
			}
		]);
		expect(totalPoints(db, people.cadre.id)).toBe(3);
	});

	it('a speaker removed by a correction keeps their points', () => {
		const result = submitted(people.cadre, {
			speakers: [String(people.cadre.id), String(people.colleague.id)]
		});
		save(people.admin, form(), 'submit', { talkId: result.id });
		expect(totalPoints(db, people.colleague.id)).toBe(3);
	});
});

describe('two server processes', () => {
	let dir: string;
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('submitting the same draft at once on two connections submits and pays once', async () => {
		dir = mkdtempSync(join(tmpdir(), 'outreach-race-'));
		const path = join(dir, 'app.db');
		const a = createDb(path);
		migrateDb(a);
		const s = await setup(a);
		const b = createDb(path);
		try {
			const input = {
				...form(),
				placeId: String(s.place),
				speakers: [String(s.people.cadre.id), String(s.people.colleague.id)],
				topics: ['p:0']
			};
			const draft = saveTalk(
				a,
				s.people.cadre,
				{ intent: 'draft', input, photos: [], removePhotoIds: [] },
				NOW
			);
			if (!draft.ok) throw new Error('refused');
			const results = await Promise.all(
				[a, b, a, b].map(async (conn) =>
					saveTalk(
						conn,
						s.people.cadre,
						{ talkId: draft.id, intent: 'submit', input, photos: [], removePhotoIds: [] },
						NOW
					)
				)
			);
			expect(results.every((r) => r.ok && r.status === 'submitted')).toBe(true);
			expect(results.filter((r) => r.ok && r.awarded.length > 0)).toHaveLength(1);
			expect(
				b
					.select()
					.from(pointsLedger)
					.all()
					.map((r) => r.points)
			).toEqual([3, 3]);
			expect(b.select().from(outreachTalks).all()).toHaveLength(1);
		} finally {
			a.$client.close();
			b.$client.close();
		}
	});
});

describe('lists and form options', () => {
	it('lists submitted talks newest first with speakers, photos, paging and a day range', () => {
		const early = submitted(
			people.cadre,
			{ date: '2026-11-02', speakers: [String(people.colleague.id), String(people.cadre.id)] },
			[photo(), photo()]
		);
		const late = submitted(people.cadre, { date: '2026-11-22', otherSpeakers: '代表刘华' });
		submitted(people.siblingAdmin, {
			placeId: String(otherPlace),
			speakers: [String(people.otherCadre.id)],
			topics: ['p:1']
		});
		save(people.cadre, form({ date: '2026-11-23' }), 'draft');

		const all = listTalks(db, people.admin, { officeIds: [], page: 1, pageSize: 20 });
		expect(all.total).toBe(2);
		expect(all.rows.map((r) => r.id)).toEqual([late.id, early.id]);
		expect(all.rows[1]).toMatchObject({
			day: '2026-11-02',
			officeName: '离石区人大常委会',
			placeName: '城北人大代表联络站',
			format: 'lecture',
			audience: 80,
			speakerNames: '李四、张三',
			firstPhotoId: photosOfTalk(db, early.id)[0]!.id,
			photoCount: 2
		});
		expect(all.rows[0]).toMatchObject({ speakerNames: '张三、代表刘华', firstPhotoId: null, photoCount: 0 });

		const page2 = listTalks(db, people.admin, { officeIds: [], page: 2, pageSize: 1 });
		expect(page2).toMatchObject({ total: 2, rows: [{ id: early.id }] });
		const range = listTalks(db, people.admin, {
			officeIds: [],
			from: '2026-11-10',
			to: '2026-11-30',
			page: 1,
			pageSize: 20
		});
		expect(range.rows.map((r) => r.id)).toEqual([late.id]);
		expect(listTalks(db, people.cityAdmin, { officeIds: [], page: 1, pageSize: 20 }).total).toBe(3);
		// Asking for an office outside the viewer's scope lists nothing of it.
		expect(listTalks(db, people.admin, { officeIds: [tree.xiaoyi.id], page: 1, pageSize: 20 }).total).toBe(0);
	});

	it('offers the office places and members in pinyin order, its modules and the report parts', async () => {
		await addUser(db, { username: 'ai', name: '艾青', officeId: tree.street.id });
		db.insert(outreachPlaces)
			.values({ officeId: tree.lishi.id, name: '安家庄村', kind: 'village', createdAt: NOW, updatedAt: NOW })
			.run();
		const options = talkFormOptions(db, people.cadre, tree.lishi.id);
		expect(options.offices).toEqual([]);
		expect(options.places.map((p) => p.name)).toEqual(['安家庄村', '城北人大代表联络站']);
		expect(options.members.map((m) => m.name)).toEqual(['艾青', '离石管理员', '李四', '王五', '张三']);
		expect(options.members.find((m) => m.name === '王五')).toMatchObject({
			username: 'wang',
			officeName: '滨河街道人大工委'
		});
		expect(options.modules).toEqual([{ key: `m:${sharedModule}`, title: '全过程人民民主' }]);
		expect(options.parts).toHaveLength(17);
		expect(options.parts[0]).toEqual({ key: 'p:0', label: '开篇' });
		expect(options.parts[16]).toEqual({ key: 'p:16', label: '结束语' });

		expect(talkFormOptions(db, people.cityAdmin, tree.lishi.id).offices.map((o) => o.name)).toEqual([
			'吕梁市人大常委会',
			'离石区人大常委会',
			'滨河街道人大工委',
			'孝义市人大常委会'
		]);
		// An office the actor may not record for offers nothing.
		expect(talkFormOptions(db, people.cadre, tree.xiaoyi.id)).toMatchObject({
			places: [],
			members: [],
			modules: []
		});
	});
});
