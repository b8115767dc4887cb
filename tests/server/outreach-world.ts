/**
 * A hand-built 宣讲 world for the figures and export tests, inserted directly (the talks
 * domain writes the same rows): the city with 离石区 (and a town below it) and 孝义市,
 * members in each, and talks submitted and drafted, in and out of November 2026.
 */
import { addUser, seedTree } from '../helpers/db';
import type { Db } from '../../src/lib/server/db';
import {
	modules,
	offices,
	outreachPhotos,
	outreachPlaces,
	outreachTalks,
	outreachTalkSpeakers,
	outreachTalkTopics,
	themes
} from '../../src/lib/server/db/schema';
import { shanghaiMidnight } from '../../src/lib/server/time';
import type { PlaceKind, TalkFormat } from '../../src/lib/outreach';

/** Sunday 15 November 2026, noon in Shanghai. */
export const NOW = new Date('2026-11-15T04:00:00Z');
export const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };

export async function outreachWorld(db: Db) {
	const tree = seedTree(db);
	const town = db
		.insert(offices)
		.values({ name: '滨河街道人大工委', code: 'binhe', parentId: tree.lishi.id })
		.returning()
		.get();
	const cityAdmin = await addUser(db, {
		username: 'lvliang.admin',
		role: 'office_admin',
		officeId: tree.city.id,
		name: '王市'
	});
	const lishiAdmin = await addUser(db, {
		username: 'lishi.admin',
		role: 'office_admin',
		officeId: tree.lishi.id,
		name: '艾管'
	});
	const c1 = await addUser(db, { username: 'lishi.c1', officeId: tree.lishi.id, name: '张三' });
	const c2 = await addUser(db, { username: 'lishi.c2', officeId: tree.lishi.id, name: '李四' });
	// Inactive: never a member in the counts.
	await addUser(db, { username: 'lishi.gone', officeId: tree.lishi.id, name: '钱离' }).then((u) =>
		db.$client.exec(`UPDATE users SET active = 0 WHERE id = ${u.id}`)
	);
	const t1 = await addUser(db, { username: 'binhe.t1', officeId: town.id, name: '赵街' });
	const x1 = await addUser(db, { username: 'xiaoyi.x1', officeId: tree.xiaoyi.id, name: '孙孝' });
	const xiaoyiAdmin = await addUser(db, {
		username: 'xiaoyi.admin',
		role: 'office_admin',
		officeId: tree.xiaoyi.id,
		name: '周孝'
	});

	const now = NOW;
	const place = (officeId: number, name: string, township: string, kind: PlaceKind) =>
		db
			.insert(outreachPlaces)
			.values({ officeId, name, township, kind, createdAt: now, updatedAt: now })
			.returning()
			.get();
	const places = {
		city: place(tree.city.id, '市人大代表之家', '凤山街道', 'liaison_station'),
		lishi: place(tree.lishi.id, '城北社区', '城北街道', 'community'),
		lishiVillage: place(tree.lishi.id, '信义村', '信义镇', 'village'),
		town: place(town.id, '滨河代表联络站', '滨河街道', 'liaison_station'),
		xiaoyi: place(tree.xiaoyi.id, '孝义代表联络站', '新义街道', 'liaison_station')
	};
	const theme = db.insert(themes).values({ slug: 't', name: '主题' }).returning().get();
	const module = db
		.insert(modules)
		.values({
			slug: 'm1',
			themeId: theme.id,
			title: '全过程人民民主',
			summary: '',
			minutes: 10,
			introHtml: '',
			quizDefaults: '{}',
			contentHash: 'x',
			updatedAt: now
		})
		.returning()
		.get();

	let photoNo = 0;
	const talk = (t: {
		officeId: number;
		day: string;
		time?: string;
		status?: 'draft' | 'submitted';
		placeId: number;
		audience: number;
		speakers: number[];
		recordedBy: number;
		format?: TalkFormat;
		photos?: number;
		topics?: string[];
		topicText?: string;
		otherSpeakers?: string;
		summary?: string;
	}) => {
		const [h, m] = (t.time ?? '09:00').split(':').map(Number) as [number, number];
		const heldAt = new Date(shanghaiMidnight(t.day).getTime() + (h * 60 + m) * 60_000);
		const row = db
			.insert(outreachTalks)
			.values({
				officeId: t.officeId,
				recordedBy: t.recordedBy,
				status: t.status ?? 'submitted',
				heldAt,
				day: t.day,
				placeId: t.placeId,
				format: t.format ?? 'lecture',
				audience: t.audience,
				summary: t.summary ?? `在${t.day}宣讲党的二十大精神，`.padEnd(60, '讲'),
				topicText: t.topicText ?? '',
				otherSpeakers: t.otherSpeakers ?? '',
				createdAt: now,
				updatedAt: now,
				submittedAt: t.status === 'draft' ? null : now
			})
			.returning()
			.get();
		for (const userId of t.speakers) db.insert(outreachTalkSpeakers).values({ talkId: row.id, userId }).run();
		for (const topic of t.topics ?? []) db.insert(outreachTalkTopics).values({ talkId: row.id, topic }).run();
		// Positions written out of id order: the first photo is the one at position 0.
		const photoIds: number[] = [];
		for (let i = (t.photos ?? 0) - 1; i >= 0; i--) {
			photoNo++;
			const photo = db
				.insert(outreachPhotos)
				.values({
					talkId: row.id,
					position: i,
					sha256: `p${photoNo}`.padEnd(64, '0'),
					thumbSha256: `t${photoNo}`.padEnd(64, '0'),
					width: 800,
					height: 600,
					size: 1000,
					uploadedBy: t.recordedBy,
					uploadedAt: now
				})
				.returning()
				.get();
			photoIds.unshift(photo.id);
		}
		return { ...row, photoIds };
	};

	const talks = {
		// In November, submitted.
		t7city: talk({
			officeId: tree.city.id,
			day: '2026-11-01',
			time: '15:30',
			placeId: places.city.id,
			audience: 10,
			speakers: [cityAdmin.id, t1.id],
			recordedBy: cityAdmin.id,
			format: 'forum'
		}),
		t1: talk({
			officeId: tree.lishi.id,
			day: '2026-11-03',
			placeId: places.lishi.id,
			audience: 40,
			speakers: [c1.id, c2.id],
			recordedBy: c1.id,
			otherSpeakers: '刘代表',
			topics: ['p:3', `m:${module.id}`, 'p:0'],
			topicText: '基层治理'
		}),
		t3town: talk({
			officeId: town.id,
			day: '2026-11-10',
			placeId: places.town.id,
			audience: 30,
			speakers: [t1.id],
			recordedBy: t1.id,
			format: 'door_to_door'
		}),
		t6xiaoyi: talk({
			officeId: tree.xiaoyi.id,
			day: '2026-11-12',
			placeId: places.xiaoyi.id,
			audience: 60,
			speakers: [x1.id],
			recordedBy: x1.id
		}),
		t2: talk({
			officeId: tree.lishi.id,
			day: '2026-11-20',
			time: '19:05',
			placeId: places.lishiVillage.id,
			audience: 25,
			speakers: [c1.id],
			recordedBy: lishiAdmin.id,
			photos: 2
		}),
		// A draft in November: never counted.
		t4draft: talk({
			officeId: tree.lishi.id,
			day: '2026-11-05',
			status: 'draft',
			placeId: places.lishi.id,
			audience: 100,
			speakers: [c2.id],
			recordedBy: c2.id
		}),
		// Submitted, but outside November.
		t5october: talk({
			officeId: tree.lishi.id,
			day: '2026-10-31',
			time: '23:30',
			placeId: places.lishi.id,
			audience: 50,
			speakers: [c2.id],
			recordedBy: c2.id
		}),
		t8december: talk({
			officeId: tree.lishi.id,
			day: '2026-12-01',
			time: '00:10',
			placeId: places.lishi.id,
			audience: 70,
			speakers: [t1.id],
			recordedBy: lishiAdmin.id,
			photos: 1
		})
	};
	return {
		tree,
		town,
		users: { cityAdmin, lishiAdmin, xiaoyiAdmin, c1, c2, t1, x1 },
		places,
		module,
		talks
	};
}

export const actor = (u: { id: number; role: string; officeId: number | null }) =>
	({ id: u.id, role: u.role, officeId: u.officeId }) as {
		id: number;
		role: 'office_admin';
		officeId: number | null;
	};
