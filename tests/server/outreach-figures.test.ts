import { beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../helpers/db';
import type { Db } from '../../src/lib/server/db';
import {
	compareWithTalks,
	outreachByOffice,
	outreachHeadline,
	periodRange,
	periodTalks,
	rangeParams,
	recentTalks,
	talksPerMember,
	userTalks
} from '../../src/lib/server/outreach';
import { descendantIds } from '../../src/lib/server/org/offices';
import { actor, NOVEMBER, NOW, outreachWorld } from './outreach-world';

let db: Db;
let w: Awaited<ReturnType<typeof outreachWorld>>;

beforeAll(async () => {
	db = testDb();
	w = await outreachWorld(db);
});

const params = (query: string) => new URLSearchParams(query);

describe('宣讲 figures against a hand count', () => {
	it('the city rolled up in November: 5 talks, 165 people, 5 speakers (drafts and other months left out)', () => {
		const city = descendantIds(db, w.tree.city.id);
		// 7 市 10 + 1 离石 40 + 3 滨河 30 + 6 孝义 60 + 2 离石 25; 赵街 spoke twice, counted once.
		expect(outreachHeadline(db, city, NOVEMBER.from, NOVEMBER.to)).toEqual({
			talks: 5,
			audience: 165,
			speakers: 5
		});
	});

	it('离石区 with its town: 3 talks, 95 people, 3 speakers; the 100-person draft never counts', () => {
		const lishi = descendantIds(db, w.tree.lishi.id);
		expect(outreachHeadline(db, lishi, NOVEMBER.from, NOVEMBER.to)).toEqual({
			talks: 3,
			audience: 95,
			speakers: 3
		});
		// Only 离石区 itself, on the draft's day: nothing (the draft has 100 people).
		expect(outreachHeadline(db, [w.tree.lishi.id], '2026-11-05', '2026-11-05')).toEqual({
			talks: 0,
			audience: 0,
			speakers: 0
		});
		// The range's ends are included: 31 October and 1 December are each one talk.
		expect(outreachHeadline(db, lishi, '2026-10-31', '2026-10-31').talks).toBe(1);
		expect(outreachHeadline(db, lishi, '2026-12-01', '2026-12-01').audience).toBe(70);
		expect(outreachHeadline(db, [], NOVEMBER.from, NOVEMBER.to).talks).toBe(0);
	});

	it('the dashboard periods: this week (Mon 9 – Sun 15 Nov) has the town and 孝义 talks', () => {
		expect(periodRange('week', NOW)).toEqual({ from: '2026-11-09', to: '2026-11-15' });
		expect(periodRange('month', NOW)).toEqual(NOVEMBER);
		expect(periodRange('year', NOW)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
		expect(periodRange('all', NOW)).toEqual({ from: '2022-10-16', to: '9999-12-31' });
		const week = periodRange('week', NOW);
		expect(outreachHeadline(db, descendantIds(db, w.tree.city.id), week.from, week.to)).toEqual({
			talks: 2,
			audience: 90,
			speakers: 2
		});
		const all = periodRange('all', NOW);
		// Every submitted talk: November's 5, 31 October and 1 December.
		expect(outreachHeadline(db, descendantIds(db, w.tree.city.id), all.from, all.to).talks).toBe(7);
	});

	it('the city roll-up: its own row, then each child office with everything below it', () => {
		const result = outreachByOffice(
			db,
			actor(w.users.cityAdmin),
			w.tree.city.id,
			NOVEMBER.from,
			NOVEMBER.to
		)!;
		const rows = result.rows.map((r) => ({
			name: r.name,
			own: r.own,
			hasChildren: r.hasChildren,
			talks: r.talks,
			audience: r.audience,
			speakers: r.speakers,
			members: r.members,
			talksPer100: r.talksPer100
		}));
		expect(rows).toEqual([
			// 王市 alone is the city's member; 1 talk per 1 member.
			{
				name: '吕梁市人大常委会',
				own: true,
				hasChildren: false,
				talks: 1,
				audience: 10,
				speakers: 2,
				members: 1,
				talksPer100: 100
			},
			// 艾管, 张三, 李四 and 赵街 below (钱离 is inactive): 3 talks per 4 members.
			{
				name: '离石区人大常委会',
				own: false,
				hasChildren: true,
				talks: 3,
				audience: 95,
				speakers: 3,
				members: 4,
				talksPer100: 75
			},
			{
				name: '孝义市人大常委会',
				own: false,
				hasChildren: false,
				talks: 1,
				audience: 60,
				speakers: 1,
				members: 2,
				talksPer100: 50
			}
		]);
		// The total counts 赵街 once although he spoke in the city's and in the town's talks.
		expect(result.total).toMatchObject({
			talks: 5,
			audience: 165,
			speakers: 5,
			members: 7,
			talksPer100: 71.4
		});
	});

	it('drill-down into 离石区: its own talks and the town; the city and a sibling are out of its admin’s scope', () => {
		const admin = actor(w.users.lishiAdmin);
		const result = outreachByOffice(db, admin, w.tree.lishi.id, NOVEMBER.from, NOVEMBER.to)!;
		expect(
			result.rows.map((r) => [r.name, r.talks, r.audience, r.speakers, r.members, r.talksPer100])
		).toEqual([
			['离石区人大常委会', 2, 65, 2, 3, 66.7],
			['滨河街道人大工委', 1, 30, 1, 1, 100]
		]);
		expect(outreachByOffice(db, admin, w.tree.city.id, NOVEMBER.from, NOVEMBER.to)).toBeNull();
		expect(outreachByOffice(db, admin, w.tree.xiaoyi.id, NOVEMBER.from, NOVEMBER.to)).toBeNull();
	});

	it('talks per member for the comparison count each office itself, as the comparison counts members', () => {
		const map = talksPerMember(
			db,
			[w.tree.lishi.id, w.tree.xiaoyi.id, w.town.id],
			NOVEMBER.from,
			NOVEMBER.to
		);
		expect(map.get(w.tree.lishi.id)).toEqual({ talks: 2, members: 3, talksPer100: 66.7 });
		expect(map.get(w.tree.xiaoyi.id)).toEqual({ talks: 1, members: 2, talksPer100: 50 });
		expect(map.get(w.town.id)).toEqual({ talks: 1, members: 1, talksPer100: 100 });
	});

	it('the comparison ranked by talks per member puts 离石区 (66.7 per 100) above 孝义市 (50)', () => {
		const ranked = compareWithTalks(db, [w.tree.xiaoyi.id, w.tree.lishi.id], 'month', 'talks', NOW);
		expect(ranked.map((f) => [f.name, f.rank, f.outreach.talks, f.outreach.talksPer100])).toEqual([
			['离石区人大常委会', 1, 2, 66.7],
			['孝义市人大常委会', 2, 1, 50]
		]);
		// Other metrics keep their order and carry the talks beside them.
		const byParticipation = compareWithTalks(
			db,
			[w.tree.xiaoyi.id, w.tree.lishi.id],
			'month',
			'participation',
			NOW
		);
		expect(byParticipation.find((f) => f.officeId === w.tree.xiaoyi.id)!.outreach.talks).toBe(1);
	});

	it('a person’s 学习档案 lists the submitted talks they spoke at, newest first, never a draft', () => {
		expect(userTalks(db, w.users.c2.id).map((t) => [t.day, t.placeName, t.format, t.audience])).toEqual([
			['2026-11-03', '城北社区', 'lecture', 40],
			['2026-10-31', '城北社区', 'lecture', 50]
		]);
		// 赵街 of the town spoke at the town's, the city's and a 离石区 talk.
		expect(userTalks(db, w.users.t1.id).map((t) => [t.day, t.officeName, t.township])).toEqual([
			['2026-12-01', '离石区人大常委会', '城北街道'],
			['2026-11-10', '滨河街道人大工委', '滨河街道'],
			['2026-11-01', '吕梁市人大常委会', '凤山街道']
		]);
		expect(userTalks(db, w.users.xiaoyiAdmin.id)).toEqual([]);
	});

	it('recent talks: newest submitted first, with the photo at position 0 and the count', () => {
		const recent = recentTalks(db, descendantIds(db, w.tree.lishi.id), 3);
		expect(recent.map((t) => t.id)).toEqual([w.talks.t8december.id, w.talks.t2.id, w.talks.t3town.id]);
		const t2 = recent[1]!;
		expect(t2.photoCount).toBe(2);
		// Photos were inserted position 1 first: the first photo is the one at position 0, the later id.
		expect(w.talks.t2.photoIds[0]).toBeGreaterThan(w.talks.t2.photoIds[1]!);
		expect(t2.firstPhotoId).toBe(w.talks.t2.photoIds[0]);
		expect(recent[2]!.firstPhotoId).toBeNull();
		const t1 = periodTalks(db, [w.tree.lishi.id], NOVEMBER.from, NOVEMBER.to, 1, 20).rows.find(
			(t) => t.id === w.talks.t1.id
		)!;
		// Members in pinyin order (李 before 张), then the others as written.
		expect(t1.speakerNames).toBe('李四、张三、刘代表');
	});

	it('the talk list of a period pages and counts only submitted talks in range', () => {
		const lishi = descendantIds(db, w.tree.lishi.id);
		const first = periodTalks(db, lishi, NOVEMBER.from, NOVEMBER.to, 1, 2);
		expect(first.total).toBe(3);
		expect(first.rows.map((t) => t.day)).toEqual(['2026-11-20', '2026-11-10']);
		expect(periodTalks(db, lishi, NOVEMBER.from, NOVEMBER.to, 2, 2).rows.map((t) => t.day)).toEqual([
			'2026-11-03'
		]);
	});
});

describe('the range of the outreach pages', () => {
	it('defaults to this month (Shanghai), and the quick ranges are calendar periods', () => {
		expect(rangeParams(params(''), NOW)).toEqual({ ...NOVEMBER, quick: 'month' });
		expect(rangeParams(params('range=lastMonth'), NOW)).toEqual({
			from: '2026-10-01',
			to: '2026-10-31',
			quick: 'lastMonth'
		});
		expect(rangeParams(params('range=quarter'), NOW)).toEqual({
			from: '2026-10-01',
			to: '2026-12-31',
			quick: 'quarter'
		});
		expect(rangeParams(params('range=year'), NOW)).toEqual({
			from: '2026-01-01',
			to: '2026-12-31',
			quick: 'year'
		});
		// 上月 in January is December of the year before; 16:30 UTC on 30 November is 1 December in Shanghai.
		expect(rangeParams(params('range=lastMonth'), new Date('2026-01-10T02:00:00Z'))).toMatchObject({
			from: '2025-12-01',
			to: '2025-12-31'
		});
		expect(rangeParams(params(''), new Date('2026-11-30T16:30:00Z'))).toMatchObject({
			from: '2026-12-01',
			to: '2026-12-31'
		});
		// February of a leap year.
		expect(rangeParams(params(''), new Date('2028-02-10T02:00:00Z'))).toMatchObject({ to: '2028-02-29' });
	});

	it('takes a valid from/to, and names the quick range it happens to be', () => {
		expect(rangeParams(params('from=2026-11-03&to=2026-11-20'), NOW)).toEqual({
			from: '2026-11-03',
			to: '2026-11-20',
			quick: null
		});
		expect(rangeParams(params('from=2026-11-01&to=2026-11-30'), NOW).quick).toBe('month');
		expect(rangeParams(params('from=2024-01-01&to=2026-12-31'), NOW)).toMatchObject({
			from: '2024-01-01',
			to: '2026-12-31'
		});
	});

	it.each([
		'from=2026-02-30&to=2026-03-10',
		'from=2026-11-20&to=2026-11-03',
		'from=2023-01-01&to=2026-01-01',
		'from=abc&to=2026-11-30',
		'from=2026-11-01',
		'to=2026-11-30',
		'from=20261101&to=20261130',
		'from=0099-01-01&to=0099-12-31',
		'from=2026-13-01&to=2026-13-02',
		'range=decade',
		'from=2026-11-01T00:00&to=2026-11-30'
	])('refuses %s to this month', (query) => {
		expect(rangeParams(params(query), NOW)).toEqual({ ...NOVEMBER, quick: 'month' });
	});
});
