/**
 * Demo 宣讲 (outreach talks) for the real office tree: each office's places (its 人大代表联络站,
 * paired villages and communities), about a hundred submitted talks over the last four months
 * by its fictional cadres, a few drafts, photos drawn as simple scenes (a hall with a banner,
 * a village yard, people as circles) and stored as the talk form stores them, and the speakers'
 * 宣讲活动 points through the ledger's own award. Deterministic (seeded random), runs once.
 *
 * Real place names only where the source report names them (离石区吴城镇陈家塔村, 临县招贤镇,
 * 晋绥边区革命纪念馆); every other place is named after the office (…人大代表联络站) or generically
 * (驻村包联点（一）). Other speakers (deputies, village cadres) carry fictional names.
 */
import { dirname, join, resolve } from 'node:path';
import { rm, writeFile } from 'node:fs/promises';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import sharp from 'sharp';
import type { Db } from '../db';
import {
	modules,
	offices,
	outreachPhotos,
	outreachPlaces,
	outreachTalkSpeakers,
	outreachTalkTopics,
	outreachTalks,
	users
} from '../db/schema';
import { MEMBER_ROLES } from '../access';
import { award } from '../points/ledger';
import { shanghaiDay, shanghaiMidnight } from '../time';
import { tempFilePath } from '../media/store';
import { processPhoto } from '../outreach/photos';
import type { ProcessedPhoto } from '../outreach/types';
import { OUTREACH_LIMITS, type PlaceKind, type TalkFormat, type TopicKey } from '../../outreach';
import { fictionalName, pick, rng } from './people';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Talks go back this many days (about four months). */
const HISTORY_DAYS = 120;

interface PlaceSeed {
	name: string;
	township: string;
	kind: PlaceKind;
}

/** Places the source report names, for the offices it names them with. */
const REAL_PLACES: Record<string, PlaceSeed[]> = {
	// 「离石区吴城镇陈家塔村会议室里……」
	离石区人大常委会: [{ name: '陈家塔村', township: '吴城镇', kind: 'village' }],
	// 「深入临县招贤镇，把课堂设在田间小院」
	临县人大常委会: [{ name: '招贤镇田间小院宣讲点', township: '招贤镇', kind: 'other' }],
	// The city committee's study meeting heard a lecture from the memorial's education section.
	吕梁市人大常委会: [{ name: '晋绥边区革命纪念馆', township: '', kind: 'other' }]
};

/** An office's places: the real ones first, then generic ones named after the office. */
function placesFor(officeName: string, count: number): PlaceSeed[] {
	const short = officeName.replace(/人大常委会$/, '');
	const generic: PlaceSeed[] = [
		{ name: `${short}人大代表联络站`, township: '', kind: 'liaison_station' },
		{ name: '驻村包联点（一）', township: '', kind: 'village' },
		{ name: '联系社区（一）', township: '', kind: 'community' },
		{ name: `${short}人大代表之家`, township: '', kind: 'liaison_station' },
		{ name: '驻村包联点（二）', township: '', kind: 'village' },
		{ name: '联系社区（二）', township: '', kind: 'community' }
	];
	return [...(REAL_PLACES[officeName] ?? []), ...generic].slice(0, count);
}

interface Theme {
	/** Built-in modules (by slug) the talk is about, when the content pack has them. */
	modules: string[];
	/** Parts of the report (0 开篇 … 16 结束语). */
	parts: number[];
	phrase: string;
	details: string[];
	concerns: string[];
}

const THEMES = {
	democracy: {
		modules: ['whole-process-democracy'],
		parts: [6],
		phrase: '发展全过程人民民主',
		details: [
			'宣讲结合人大代表联络站接待选民、民生实事项目人大代表票决制等身边事例，讲清楚全过程人民民主的“全过程”体现在哪里。',
			'宣讲介绍了人大代表联系群众的渠道和联络站的接待安排，请群众有事到联络站找代表反映。'
		],
		concerns: ['道路硬化', '路灯安装', '老旧小区改造', '停车难']
	},
	npc: {
		modules: ['npc-thought'],
		parts: [6],
		phrase: '坚持和完善人民代表大会制度',
		details: [
			'宣讲从人民代表大会制度是我国的根本政治制度讲起，结合本地代表履职的事例，讲解人大代表怎样代表人民行使权力。'
		],
		concerns: ['代表联系群众', '民生实事项目']
	},
	law: {
		modules: ['rule-of-law'],
		parts: [7],
		phrase: '全面依法治国',
		details: [
			'宣讲结合身边的邻里纠纷调解事例，讲解科学立法、严格执法、公正司法、全民守法的要求，引导群众遇事找法、解决问题用法。'
		],
		concerns: ['土地承包', '邻里纠纷', '农民工工资支付']
	},
	rural: {
		modules: ['rural-revitalization'],
		parts: [4],
		phrase: '全面推进乡村振兴',
		details: [
			'宣讲结合村里的种植养殖产业和人居环境整治，讲解建设宜居宜业和美乡村的要求。',
			'宣讲讲解了巩固拓展脱贫攻坚成果、发展乡村特色产业的政策，让村民清楚今后的日子往哪里奔。'
		],
		concerns: ['灌溉用水', '养殖场地', '农产品销路', '田间道路']
	},
	health: {
		modules: ['healthy-china'],
		parts: [9],
		phrase: '推进健康中国建设',
		details: [
			'宣讲结合基层卫生服务和健康知识普及，讲解把保障人民健康放在优先发展的战略位置的要求，提醒老年人按时参加健康体检。'
		],
		concerns: ['看病就医', '家庭医生签约', '慢性病用药']
	},
	education: {
		modules: ['education'],
		parts: [5],
		phrase: '办好人民满意的教育',
		details: ['宣讲结合孩子上学和课后服务，讲解落实立德树人根本任务、促进教育公平的要求。'],
		concerns: ['上学接送', '课后服务', '校园周边安全']
	},
	livelihood: {
		modules: ['livelihood'],
		parts: [9],
		phrase: '增进民生福祉',
		details: ['宣讲结合就业、社保、养老等群众关心的事，讲解报告关于增进民生福祉、提高人民生活品质的部署。'],
		concerns: ['就业', '养老服务', '医保缴费', '冬季供暖']
	},
	modernization: {
		modules: ['chinese-modernization', 'congress-theme'],
		parts: [3, 0],
		phrase: '以中国式现代化全面推进中华民族伟大复兴',
		details: [
			'宣讲用身边十年的变化讲解中国式现代化的中国特色和本质要求，讲清楚“五个牢牢把握”。',
			'宣讲从大会的主题讲起，讲解新时代新征程党的使命任务和全面建设社会主义现代化国家的部署。'
		],
		concerns: ['就业', '道路交通', '人居环境']
	},
	party: {
		modules: ['party-self-governance', 'party-building'],
		parts: [15],
		phrase: '全面从严治党',
		details: ['宣讲结合清廉机关建设，讲解全面从严治党永远在路上的要求，引导党员守纪律、讲规矩、作表率。'],
		concerns: ['党员教育', '基层组织建设']
	},
	green: {
		modules: ['green-development'],
		parts: [10],
		phrase: '推动绿色发展',
		details: ['宣讲结合植树造林和农村人居环境整治，讲解促进人与自然和谐共生的要求。'],
		concerns: ['垃圾清运', '荒山绿化', '河道治理']
	},
	decade: {
		modules: ['decade-of-change'],
		parts: [1],
		phrase: '新时代十年的伟大变革',
		details: ['宣讲用这些年通路、通水、危房改造等身边的变化，讲解新时代十年的伟大变革。'],
		concerns: ['道路养护', '饮水安全']
	}
} satisfies Record<string, Theme>;
type ThemeKey = keyof typeof THEMES;

/** Which themes a place's talks turn to, weighted by repetition. */
const THEMES_BY_KIND: Record<PlaceKind, ThemeKey[]> = {
	liaison_station: [
		'democracy',
		'democracy',
		'democracy',
		'npc',
		'law',
		'law',
		'modernization',
		'livelihood'
	],
	village: ['rural', 'rural', 'rural', 'livelihood', 'health', 'modernization', 'decade', 'green'],
	community: ['livelihood', 'livelihood', 'health', 'education', 'law', 'democracy', 'modernization'],
	other: ['modernization', 'modernization', 'decade', 'rural', 'party']
};

const FORMATS_BY_KIND: Record<PlaceKind, TalkFormat[]> = {
	liaison_station: ['lecture', 'lecture', 'lecture', 'forum', 'forum', 'other'],
	village: ['lecture', 'lecture', 'door_to_door', 'door_to_door', 'forum', 'other'],
	community: ['lecture', 'lecture', 'door_to_door', 'forum', 'forum'],
	other: ['lecture', 'lecture', 'lecture', 'other', 'other']
};

const LISTENERS: Record<PlaceKind, string> = {
	liaison_station: '辖区人大代表和选民',
	village: '村“两委”干部和村民',
	community: '社区干部和居民',
	other: '党员群众'
};

/** Free-text topics, beside the modules and parts, by the kind of place. */
const TOPIC_TEXTS: Record<PlaceKind, string[]> = {
	liaison_station: ['学习宣传贯彻党的二十大精神', '人大代表履职与联系群众'],
	village: ['学习宣传贯彻党的二十大精神', '党的二十大精神进村入户'],
	community: ['学习宣传贯彻党的二十大精神', '党的二十大精神进社区'],
	other: ['学习宣传贯彻党的二十大精神']
};

interface SummaryContext {
	who: string;
	place: string;
	listeners: string;
	audience: number;
	theme: Theme;
}

const OPENINGS: Record<TalkFormat, ((c: SummaryContext) => string)[]> = {
	lecture: [
		(c) =>
			`${c.who}在${c.place}开展党的二十大精神集中宣讲，围绕${c.theme.phrase}，向${c.listeners}讲解报告的有关部署。`,
		(c) =>
			`${c.place}举办党的二十大精神宣讲会，${c.who}作${c.theme.phrase}专题宣讲，${c.listeners}${c.audience}人参加。`
	],
	door_to_door: [
		(c) =>
			`${c.who}走进${c.place}，逐户上门宣讲党的二十大精神，重点讲解${c.theme.phrase}方面与群众切身利益相关的内容。`,
		(c) =>
			`${c.who}在${c.place}入户走访，把党的二十大精神送到群众家门口，围绕${c.theme.phrase}拉家常、讲政策。`
	],
	forum: [
		(c) =>
			`${c.who}在${c.place}召开座谈会，与${c.listeners}一起学习党的二十大报告中关于${c.theme.phrase}的论述，大家结合自身实际谈体会、提建议。`,
		(c) =>
			`${c.place}组织召开学习党的二十大精神座谈会，${c.who}围绕${c.theme.phrase}领学报告原文，${c.listeners}交流发言。`
	],
	other: [
		(c) =>
			`${c.who}在${c.place}以“小院宣讲”的形式，与${c.listeners}围坐在一起学报告、谈变化，讲解${c.theme.phrase}的主要内容。`,
		(c) => `${c.who}利用农闲时间在${c.place}开展流动宣讲，用拉家常的方式讲解${c.theme.phrase}。`
	]
};

/** What came of the talk: the people's concerns taken up, or the materials handed out. */
const FEEDBACK: ((random: () => number, c: SummaryContext, concern: string) => string)[] = [
	(_, __, concern) =>
		`宣讲后，群众就${concern}等问题提出意见，已记录整理，将通过代表联络站转交有关部门办理。`,
	(random, c) =>
		`发放学习资料${Math.ceil((c.audience * (1 + random() * 0.5)) / 10) * 10}份，解答群众提问${2 + Math.floor(random() * 9)}个。`,
	(random, _, concern) =>
		`宣讲结束后，收集到群众关于${concern}方面的意见建议${2 + Math.floor(random() * 7)}条，将逐条梳理、跟踪落实。`
];

const MOODS = [
	'宣讲坚持用大众化的语言讲政策，大家表示听得懂、记得住。',
	'宣讲后大家交流了学习体会，对今后的日子更有信心。'
];

function summaryOf(random: () => number, format: TalkFormat, c: SummaryContext): string {
	const concern = pick(random, c.theme.concerns);
	let text =
		pick(random, OPENINGS[format])(c) +
		pick(random, c.theme.details) +
		pick(random, FEEDBACK)(random, c, concern);
	if (random() < 0.4) text += pick(random, MOODS);
	const length = [...text].length;
	if (length < OUTREACH_LIMITS.summaryMin || length > 300)
		throw new Error(`demo summary of ${length} characters`);
	return text;
}

/** The audience a talk of this format draws: 15–300, most halls well short of full. */
function audienceOf(random: () => number, format: TalkFormat): number {
	switch (format) {
		case 'lecture':
			return 40 + Math.floor(random() * random() * 261);
		case 'door_to_door':
			return 15 + Math.floor(random() * 46);
		case 'forum':
			return 15 + Math.floor(random() * 26);
		default:
			return 20 + Math.floor(random() * 71);
	}
}

/** 区/市/县 of an office, for its deputies (区人大代表…). */
function levelOf(officeName: string): string {
	return officeName.replace(/人大常委会$/, '').slice(-1);
}

function otherSpeakersOf(random: () => number, officeName: string, kind: PlaceKind): string {
	const roll = random();
	if (roll < 0.55) return '';
	const names = [`${levelOf(officeName)}人大代表${fictionalName(random)}`];
	if (roll > 0.85 && kind === 'village') names.push(`村党支部书记${fictionalName(random)}`);
	else if (roll > 0.85 && kind === 'community') names.push(`社区党委书记${fictionalName(random)}`);
	return names.join('、');
}

// ---------------------------------------------------------------------------------------------
// Photos: a scene of simple shapes, different colours for each talk, no text and no metadata.

interface Scene {
	svg: string;
}

function person(random: () => number, x: number, y: number, r: number): string {
	const cloth = `hsl(${Math.floor(random() * 360)},${25 + Math.floor(random() * 40)}%,${22 + Math.floor(random() * 35)}%)`;
	const hair = `hsl(${20 + Math.floor(random() * 20)},${10 + Math.floor(random() * 20)}%,${8 + Math.floor(random() * 40)}%)`;
	return (
		`<ellipse cx="${x}" cy="${y + r * 2.1}" rx="${r * 1.5}" ry="${r * 1.4}" fill="${cloth}"/>` +
		`<circle cx="${x}" cy="${y}" r="${r}" fill="hsl(28,${35 + Math.floor(random() * 15)}%,${62 + Math.floor(random() * 12)}%)"/>` +
		`<path d="M${x - r} ${y - r * 0.1} A${r} ${r} 0 0 1 ${x + r} ${y - r * 0.1} Z" fill="${hair}"/>`
	);
}

function crowd(random: () => number, w: number, top: number, bottom: number, rows: number): string {
	let out = '';
	for (let row = 0; row < rows; row++) {
		const t = rows === 1 ? 1 : row / (rows - 1);
		const r = 12 + t * 14;
		const y = top + t * (bottom - top);
		const step = r * 3.4;
		for (let x = r * 2 + random() * r; x < w - r * 2; x += step * (0.9 + random() * 0.3)) {
			if (random() < 0.85) out += person(random, Math.round(x), Math.round(y), Math.round(r));
		}
	}
	return out;
}

function hallScene(random: () => number, w: number, h: number): Scene {
	const hue = Math.floor(random() * 360);
	const banner = `hsl(${(355 + Math.floor(random() * 12)) % 360},${62 + Math.floor(random() * 15)}%,${38 + Math.floor(random() * 8)}%)`;
	const bw = w * (0.55 + random() * 0.25);
	let svg =
		`<rect width="${w}" height="${h}" fill="hsl(${hue},${15 + Math.floor(random() * 20)}%,${80 + Math.floor(random() * 10)}%)"/>` +
		`<rect y="${h * 0.62}" width="${w}" height="${h * 0.38}" fill="hsl(${(hue + 30) % 360},18%,${45 + Math.floor(random() * 15)}%)"/>` +
		`<rect x="${(w - bw) / 2}" y="${h * 0.08}" width="${bw}" height="${h * 0.1}" fill="${banner}"/>`;
	for (const x of [w * 0.04, w * 0.86]) {
		svg += `<rect x="${x}" y="${h * 0.22}" width="${w * 0.1}" height="${h * 0.26}" fill="hsl(200,45%,${78 + Math.floor(random() * 10)}%)"/>`;
	}
	svg += `<rect x="${w * 0.35}" y="${h * 0.36}" width="${w * 0.3}" height="${h * 0.14}" fill="hsl(25,45%,${28 + Math.floor(random() * 10)}%)"/>`;
	svg += person(random, w * 0.5, h * 0.3, 16);
	svg += crowd(random, w, h * 0.58, h * 0.86, 2 + Math.floor(random() * 3));
	return { svg };
}

function yardScene(random: () => number, w: number, h: number): Scene {
	const ground = `hsl(${32 + Math.floor(random() * 12)},${30 + Math.floor(random() * 20)}%,${55 + Math.floor(random() * 15)}%)`;
	let svg =
		`<rect width="${w}" height="${h}" fill="hsl(205,${45 + Math.floor(random() * 25)}%,${72 + Math.floor(random() * 12)}%)"/>` +
		`<path d="M0 ${h * 0.45} Q${w * 0.3} ${h * (0.25 + random() * 0.1)} ${w * 0.6} ${h * 0.42} T${w} ${h * 0.38} V${h} H0 Z" fill="hsl(${40 + Math.floor(random() * 50)},28%,48%)"/>` +
		`<rect y="${h * 0.55}" width="${w}" height="${h * 0.45}" fill="${ground}"/>`;
	const hx = w * (0.15 + random() * 0.4);
	const hw = w * 0.4;
	svg +=
		`<rect x="${hx}" y="${h * 0.32}" width="${hw}" height="${h * 0.25}" fill="hsl(30,${20 + Math.floor(random() * 20)}%,${70 + Math.floor(random() * 10)}%)"/>` +
		`<path d="M${hx - 10} ${h * 0.33} L${hx + hw / 2} ${h * 0.22} L${hx + hw + 10} ${h * 0.33} Z" fill="hsl(0,0%,${30 + Math.floor(random() * 20)}%)"/>` +
		`<rect x="${hx + hw * 0.15}" y="${h * 0.36}" width="${hw * 0.7}" height="${h * 0.06}" fill="hsl(358,70%,42%)"/>`;
	svg += crowd(random, w, h * 0.62, h * 0.88, 2 + Math.floor(random() * 2));
	return { svg };
}

function forumScene(random: () => number, w: number, h: number): Scene {
	let svg =
		`<rect width="${w}" height="${h}" fill="hsl(${Math.floor(random() * 360)},12%,${84 + Math.floor(random() * 8)}%)"/>` +
		`<rect x="${w * 0.2}" y="${h * 0.06}" width="${w * 0.6}" height="${h * 0.08}" fill="hsl(0,68%,${40 + Math.floor(random() * 6)}%)"/>`;
	const cx = w / 2;
	const cy = h * 0.6;
	const seats = 8 + Math.floor(random() * 6);
	for (let i = 0; i < seats; i++) {
		const a = (i / seats) * Math.PI * 2;
		svg += person(
			random,
			Math.round(cx + Math.cos(a) * w * 0.34),
			Math.round(cy + Math.sin(a) * h * 0.2 - 20),
			15
		);
	}
	svg += `<ellipse cx="${cx}" cy="${cy}" rx="${w * 0.28}" ry="${h * 0.13}" fill="hsl(25,40%,${30 + Math.floor(random() * 12)}%)"/>`;
	return { svg };
}

/** A demo photo (JPEG bytes) of a talk of this format: portrait now and then, as phones take them. */
async function drawPhoto(seed: number, format: TalkFormat, kind: PlaceKind): Promise<Buffer> {
	const random = rng(seed);
	const portrait = random() < 0.2;
	const [w, h] = portrait ? [480, 640] : [640, 480];
	const scene =
		format === 'forum'
			? forumScene(random, w, h)
			: kind === 'village' || format === 'door_to_door' || format === 'other'
				? yardScene(random, w, h)
				: hallScene(random, w, h);
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${scene.svg}</svg>`;
	return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** Stores a drawn photo as the talk form stores an upload (outreach/photos.ts processPhoto). */
async function storePhoto(bytes: Buffer, dir: string): Promise<ProcessedPhoto> {
	const temp = await tempFilePath(dir);
	try {
		await writeFile(temp, bytes);
		return await processPhoto(temp, dir);
	} finally {
		await rm(temp, { force: true });
	}
}

/**
 * Where the demo's photos go: MEDIA_DIR, else `media/` beside the database file the seed writes
 * to (as the server started on that file finds it). An in-memory database without MEDIA_DIR has
 * nowhere to keep them: its talks get none.
 */
export function seedMediaDir(db: Db): string | null {
	if (process.env.MEDIA_DIR) return resolve(process.env.MEDIA_DIR);
	const client = db.$client;
	if (client.memory || !client.name) return null;
	return join(dirname(resolve(client.name)), 'media');
}

// ---------------------------------------------------------------------------------------------

interface Member {
	id: number;
	username: string;
	name: string;
	role: (typeof users.$inferSelect)['role'];
	officeId: number;
}

interface PlannedTalk {
	officeId: number;
	recordedBy: number;
	status: 'draft' | 'submitted';
	heldAt: Date | null;
	place: number | null;
	format: TalkFormat | null;
	audience: number | null;
	summary: string;
	topicText: string;
	otherSpeakers: string;
	speakers: Member[];
	topics: TopicKey[];
	createdAt: Date;
	submittedAt: Date | null;
	photoSeeds: number[];
}

/** Talks per office over the four months: the two offices with demo admins busier. */
function talkCount(random: () => number, code: string): number {
	if (code === 'lishi') return 16;
	if (code === 'lvliang') return 12;
	return 4 + Math.floor(random() * 6);
}

/**
 * Seeds the demo's places, talks, photos and points. Returns the number of submitted talks
 * (0 when places exist already: it runs once).
 */
export async function seedOutreach(db: Db, now = new Date(), dir = seedMediaDir(db)): Promise<number> {
	if (db.select({ id: outreachPlaces.id }).from(outreachPlaces).limit(1).get()) return 0;
	const random = rng(2022_10_25);
	const officeRows = db
		.select({ id: offices.id, name: offices.name, code: offices.code, parentId: offices.parentId })
		.from(offices)
		.orderBy(asc(offices.sortOrder), asc(offices.id))
		.all();
	const members = db
		.select({
			id: users.id,
			username: users.username,
			name: users.name,
			role: users.role,
			officeId: users.officeId
		})
		.from(users)
		.where(and(inArray(users.role, [...MEMBER_ROLES]), eq(users.active, true)))
		.orderBy(asc(users.id))
		.all()
		.filter((m): m is Member => m.officeId !== null);
	const moduleIds = new Map(
		db
			.select({ id: modules.id, slug: modules.slug })
			.from(modules)
			.where(and(isNull(modules.ownerOfficeId), isNull(modules.ownerSchoolId), isNull(modules.archivedAt)))
			.all()
			.map((m) => [m.slug, m.id])
	);
	const today = shanghaiMidnight(shanghaiDay(now)).getTime();

	// Plan first (synchronous draws in one order), then draw the photos, then write in one transaction.
	const placesByOffice = new Map<number, PlaceSeed[]>();
	const talks: PlannedTalk[] = [];
	// Talks each speaker submitted per Shanghai day: the rule's daily cap pays two.
	const perDay = new Map<string, number>();
	let photoSeed = 1;
	let otherDrafts = 0;

	for (const office of officeRows) {
		const own = members.filter((m) => m.officeId === office.id);
		if (own.length === 0) continue;
		const big = office.code === 'lishi' || office.code === 'lvliang';
		const places = placesFor(office.name, big ? 5 + Math.floor(random() * 2) : 3 + Math.floor(random() * 4));
		placesByOffice.set(office.id, places);
		// A handful of members give most of an office's talks; the demo accounts among them.
		const demoAccounts = own.filter(
			(m) => m.username.startsWith(`${office.code}.`) && !/\d$/.test(m.username)
		);
		const pool = [...demoAccounts, ...own.filter((m) => !demoAccounts.includes(m) && random() < 0.3)].slice(
			0,
			8
		);
		for (const m of own) if (pool.length < 4 && !pool.includes(m)) pool.push(m);
		const admin = own.find((m) => m.role === 'office_admin');
		const children = members.filter(
			(m) => officeRows.find((o) => o.id === m.officeId)?.parentId === office.id
		);
		const demoCadre = own.find((m) => m.username === `${office.code}.cadre`);

		const n = talkCount(random, office.code);
		let withPhotos = false;
		for (let i = 0; i < n; i++) {
			// Up to yesterday, and submitted before today: today's points and figures are the user's own.
			const daysAgo = 1 + Math.floor(random() * HISTORY_DAYS);
			const held = today - daysAgo * DAY_MS + (9 * 60 + Math.floor(random() * 15) * 30) * 60_000;
			const heldAt = new Date(held);
			const later = held + (1 + Math.floor(random() * 30)) * HOUR_MS;
			const submittedAt = new Date(later < today ? later : held + (1 + Math.floor(random() * 5)) * HOUR_MS);
			const submitDay = shanghaiDay(submittedAt);
			const free = (m: Member) => (perDay.get(`${m.id}:${submitDay}`) ?? 0) < 2;

			const speakers: Member[] = [];
			const first =
				demoCadre && i % 3 === 0 && free(demoCadre)
					? demoCadre
					: pick(random, pool.filter(free).length ? pool.filter(free) : own);
			speakers.push(first);
			const extra = random() < 0.45 ? 1 + (random() < 0.3 ? 1 : 0) : 0;
			for (let k = 0; k < extra; k++) {
				// Now and then a member of a county office joins a talk of the city's.
				const from = children.length > 0 && random() < 0.2 ? children : pool;
				const next = pick(random, from);
				if (!speakers.includes(next) && free(next)) speakers.push(next);
			}
			for (const s of speakers)
				perDay.set(`${s.id}:${submitDay}`, (perDay.get(`${s.id}:${submitDay}`) ?? 0) + 1);

			const placeIndex = Math.floor(random() * places.length);
			const place = places[placeIndex]!;
			const format = pick(random, FORMATS_BY_KIND[place.kind]);
			const audience = audienceOf(random, format);
			const themeKey = pick(random, THEMES_BY_KIND[place.kind]);
			const theme: Theme = THEMES[themeKey];
			const topics = new Set<TopicKey>();
			const moduleId = moduleIds.get(theme.modules[Math.floor(random() * theme.modules.length)]!);
			if (moduleId !== undefined) topics.add(`m:${moduleId}`);
			if (moduleId === undefined || random() < 0.5) topics.add(`p:${pick(random, theme.parts)}`);
			const topicText = random() < 0.2 ? pick(random, TOPIC_TEXTS[place.kind]) : '';
			const otherSpeakers = otherSpeakersOf(random, office.name, place.kind);
			const names = speakers.map((s) => s.name);
			const who =
				(speakers.some((s) => s.officeId !== office.id) ? '' : '机关干部') +
				names.join('、') +
				(otherSpeakers ? `和${otherSpeakers.split('、')[0]}` : '');
			const summary = summaryOf(random, format, {
				who,
				place: place.name,
				listeners: LISTENERS[place.kind],
				audience,
				theme
			});
			const recordedBy = admin && (first === admin || random() < 0.3) ? admin : first;
			// About half the talks have photos, mostly one or two.
			// Every office has talks with photos (its list and printed summary show them).
			const roll = random();
			const photos = roll < 0.25 ? 1 : roll < 0.42 ? 2 : roll < 0.5 ? 3 : i === n - 1 && !withPhotos ? 1 : 0;
			if (photos > 0) withPhotos = true;
			talks.push({
				officeId: office.id,
				recordedBy: recordedBy.id,
				status: 'submitted',
				heldAt,
				place: placeIndex,
				format,
				audience,
				summary,
				topicText,
				otherSpeakers,
				speakers,
				topics: [...topics],
				createdAt: new Date(submittedAt.getTime() - (5 + Math.floor(random() * 40)) * 60_000),
				submittedAt,
				photoSeeds: Array.from({ length: photos }, () => photoSeed++)
			});
		}

		// Drafts (each seen only by its recorder): the demo cadre plans next week's talk, the admins
		// and now and then a cadre elsewhere have one half written.
		const elsewhere = !big && otherDrafts < 2 && random() < 0.25 ? pool[0] : undefined;
		if (elsewhere) otherDrafts++;
		const drafters = [demoCadre, admin, elsewhere].filter((m): m is Member => m !== undefined);
		for (const by of drafters) {
			const planned = by === demoCadre;
			const place = places[0]!;
			const theme: Theme = THEMES[pick(random, THEMES_BY_KIND[place.kind])];
			const moduleId = moduleIds.get(theme.modules[0]!);
			talks.push({
				officeId: office.id,
				recordedBy: by.id,
				status: 'draft',
				heldAt: planned ? new Date(today + (2 + Math.floor(random() * 4)) * DAY_MS + 9.5 * HOUR_MS) : null,
				place: 0,
				format: planned ? 'lecture' : null,
				audience: null,
				summary: planned ? `计划在${place.name}宣讲${theme.phrase}，` : '',
				topicText: '',
				otherSpeakers: '',
				speakers: [by],
				topics: moduleId !== undefined ? [`m:${moduleId}`] : [`p:${theme.parts[0]!}`],
				createdAt: new Date(now.getTime() - (1 + Math.floor(random() * 20)) * HOUR_MS),
				submittedAt: null,
				photoSeeds: []
			});
		}
	}

	// The photos, drawn and stored before the transaction (sharp is asynchronous, the writes are not).
	const photos = new Map<number, ProcessedPhoto>();
	if (dir) {
		const jobs = talks.flatMap((t) =>
			t.photoSeeds.map((seed) => ({
				seed,
				format: t.format!,
				kind: placesByOffice.get(t.officeId)![t.place!]!.kind
			}))
		);
		// A few at a time: libuv's pool runs four, and each job holds two images in memory.
		for (let i = 0; i < jobs.length; i += 8) {
			await Promise.all(
				jobs.slice(i, i + 8).map(async (job) => {
					photos.set(job.seed, await storePhoto(await drawPhoto(job.seed * 7919, job.format, job.kind), dir));
				})
			);
		}
	}

	return db.transaction((tx) => {
		const placeIds = new Map<number, number[]>();
		for (const [officeId, places] of placesByOffice) {
			const createdAt = new Date(today - HISTORY_DAYS * DAY_MS - 20 * DAY_MS + 10 * HOUR_MS);
			placeIds.set(
				officeId,
				places.map(
					(p) =>
						tx
							.insert(outreachPlaces)
							.values({ officeId, ...p, createdAt, updatedAt: createdAt })
							.returning({ id: outreachPlaces.id })
							.get().id
				)
			);
		}
		// Oldest first, so ids follow the calendar as recorded ones would.
		const ordered = [...talks].sort(
			(a, b) => (a.submittedAt ?? a.createdAt).getTime() - (b.submittedAt ?? b.createdAt).getTime()
		);
		let submitted = 0;
		for (const t of ordered) {
			const places = placesByOffice.get(t.officeId)!;
			const placeName = t.place === null ? '' : places[t.place]!.name;
			const talkId = tx
				.insert(outreachTalks)
				.values({
					officeId: t.officeId,
					recordedBy: t.recordedBy,
					status: t.status,
					heldAt: t.heldAt,
					day: t.heldAt ? shanghaiDay(t.heldAt) : null,
					placeId: t.place === null ? null : placeIds.get(t.officeId)![t.place]!,
					format: t.format,
					audience: t.audience,
					summary: t.summary,
					topicText: t.topicText,
					otherSpeakers: t.otherSpeakers,
					createdAt: t.createdAt,
					updatedAt: t.submittedAt ?? t.createdAt,
					submittedAt: t.submittedAt
				})
				.returning({ id: outreachTalks.id })
				.get().id;
			for (const s of t.speakers) tx.insert(outreachTalkSpeakers).values({ talkId, userId: s.id }).run();
			for (const topic of t.topics) tx.insert(outreachTalkTopics).values({ talkId, topic }).run();
			t.photoSeeds.forEach((seed, position) => {
				const photo = photos.get(seed);
				if (!photo) return;
				tx.insert(outreachPhotos)
					.values({
						talkId,
						position,
						...photo,
						uploadedBy: t.recordedBy,
						uploadedAt: t.submittedAt ?? t.createdAt
					})
					.run();
			});
			if (t.status !== 'submitted') continue;
			submitted++;
			for (const s of t.speakers) {
				award(tx, {
					rule: 'outreach_talk',
					key: `outreach:${talkId}:${s.id}`,
					userId: s.id,
					officeId: s.officeId,
					reason: `宣讲：${placeName}`,
					at: t.submittedAt!
				});
			}
		}
		return submitted;
	});
}
