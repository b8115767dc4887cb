import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { ruleFor } from '../../src/lib/server/access';
import {
	CHINESE,
	discoverRoutes,
	fill,
	readDb,
	send,
	signIn,
	TableWatch,
	type Reply,
	type RouteInfo
} from './site-map';

/**
 * Every page and GET endpoint under src/routes, opened as each role: the area rules of
 * src/lib/server/access.ts decide who gets in (anonymous → /login, wrong role → a Chinese 403),
 * and inside an area an office admin sees only their office and its descendants: another
 * office's member, session, reflection or certificate is a 403/404 that never shows its data.
 * Every form action, posted by a role that may not use it, is refused and writes nothing.
 */

/**
 * A seeded cadre of 离石区 that no other test uses: opening pages has effects other tests would
 * notice (a lesson's reading timer starts, a notice opened is read).
 */
const CADRE = 'lishi.010';
const ACCOUNTS = {
	cadre: CADRE,
	/** Office admin of a child office (离石区). */
	officeAdmin: 'lishi.admin',
	/** Office admin of the city: every district is below it. */
	cityAdmin: 'lvliang.admin',
	schoolAdmin: 'dangxiao',
	sysadmin: 'admin'
} as const;
type Who = keyof typeof ACCOUNTS | 'anonymous';
const WHO: Who[] = ['anonymous', 'cadre', 'officeAdmin', 'cityAdmin', 'schoolAdmin', 'sysadmin'];
const ROLE = {
	cadre: 'cadre',
	officeAdmin: 'office_admin',
	cityAdmin: 'office_admin',
	schoolAdmin: 'school_admin',
	sysadmin: 'sysadmin'
} as const;

const ADMINS: Who[] = ['officeAdmin', 'cityAdmin', 'sysadmin'];
const SIGNED_IN: Who[] = ['cadre', 'officeAdmin', 'cityAdmin', 'schoolAdmin', 'sysadmin'];

const user = (username: string) => `(SELECT id FROM users WHERE username = '${username}')`;
const office = (code: string) => `(SELECT id FROM offices WHERE code = '${code}')`;
/** A plain cadre of an office (not the demo cadre), by its seeded login name. */
const MEMBER = { lishi: 'lishi.002', xiaoyi: 'xiaoyi.003' };
const MODULE = 'SELECT slug FROM modules WHERE archived_at IS NULL ORDER BY sort_order, id LIMIT 1';
const SCHOOL_COURSE =
	"SELECT min(id) FROM courses WHERE school_id = (SELECT school_id FROM users WHERE username = 'dangxiao')";
const reflectionOf = (username: string) =>
	`SELECT min(id) FROM reflections WHERE user_id = ${user(username)} AND status = 'submitted' AND excellent = 0`;
const sessionOf = (code: string) => `SELECT min(id) FROM study_sessions WHERE office_id = ${office(code)}`;
const certificateOf = (code: string) =>
	`SELECT min(c.serial) FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.office_id = ${office(code)} AND u.role = 'cadre' AND u.username <> '${CADRE}'`;
const nameOf = (username: string) => `SELECT name FROM users WHERE username = '${username}'`;
/** 内容编写: a seeded draft of the school (never published), the school's published module, 离石区's module. */
const SCHOOL_DRAFT = `SELECT min(id) FROM module_drafts WHERE owner_school_id = (SELECT school_id FROM users WHERE username = 'dangxiao') AND module_id IS NULL`;
const SCHOOL_PUBLISHED = `SELECT min(draft_id) FROM module_versions v JOIN module_drafts d ON d.id = v.draft_id WHERE d.owner_school_id = (SELECT school_id FROM users WHERE username = 'dangxiao')`;
const LISHI_MODULE = `SELECT min(id) FROM module_drafts WHERE owner_office_id = ${office('lishi')} AND module_id IS NOT NULL`;
/** A file of the school's media library that no lesson uses (uploaded in beforeAll): its authors only. */
const SCHOOL_MEDIA = `SELECT min(id) FROM media WHERE owner_school_id = (SELECT school_id FROM users WHERE username = 'dangxiao') AND id NOT IN (SELECT media_id FROM lesson_media)`;
/** A question import of the school's published module, staged by its admin in beforeAll. */
const SCHOOL_IMPORT = `SELECT id FROM question_imports WHERE draft_id = :id AND created_by = ${user('dangxiao')} ORDER BY created_at DESC LIMIT 1`;
const draftTitle = (draft: string) =>
	`SELECT json_extract(doc, '$.title') FROM module_drafts WHERE id = (${draft})`;
/**
 * 试卷 and 考试: the school's seeded paper and released exam (its candidates are 离石区's), and a
 * paper and exam of 离石区's admin made in beforeAll: each only its owner's admins manage.
 */
const SCHOOL_PAPER = `SELECT min(id) FROM exam_papers WHERE owner_school_id = (SELECT school_id FROM users WHERE username = 'dangxiao')`;
const SCHOOL_EXAM = `SELECT min(id) FROM exams WHERE owner_school_id = (SELECT school_id FROM users WHERE username = 'dangxiao') AND released_at IS NOT NULL`;
const LISHI_PAPER = `SELECT min(id) FROM exam_papers WHERE owner_office_id = ${office('lishi')}`;
const LISHI_EXAM = `SELECT min(id) FROM exams WHERE owner_office_id = ${office('lishi')}`;
const paperTitle = (paper: string) => `SELECT title FROM exam_papers WHERE id = (${paper})`;
const examTitle = (exam: string) => `SELECT title FROM exams WHERE id = (${exam})`;
/** An exam page of the school's exam and of 离石区's, each seen by its owner's admins only. */
const examTargets = (visibleToGraders = true): Target[] => [
	{ params: { id: SCHOOL_EXAM }, visible: ['schoolAdmin'], secret: examTitle(SCHOOL_EXAM) },
	// 离石区's exam has no 简答 and no graders: its grading page is nobody's.
	{
		params: { id: LISHI_EXAM },
		visible: visibleToGraders ? ['officeAdmin'] : [],
		secret: examTitle(LISHI_EXAM)
	}
];

/**
 * 我的考试 (the candidate's side): the school's released exam, held for 离石区 (with descendants):
 * its candidates are 离石区's members, the demo cadre and 离石区's admin among them; others get a
 * 404 that never names it. The demo cadre sat it (the seed's attempt, handed in).
 */
const CANDIDATE_EXAM = `SELECT min(id) FROM exams WHERE owner_school_id = (SELECT school_id FROM users WHERE username = 'dangxiao') AND released_at IS NOT NULL`;
const CADRE_EXAM_ATTEMPT = `SELECT min(id) FROM exam_attempts WHERE user_id = ${user(CADRE)} AND exam_id = (${CANDIDATE_EXAM})`;

/**
 * 宣讲: a submitted talk of 离石区 and of 孝义市 with photos (seeded): the office's members and the
 * admins above it see it, admins of the office and above correct it; and a draft of the cadre
 * (made in beforeAll), which only its recorder sees.
 */
const talkOf = (code: string) =>
	`SELECT min(t.id) FROM outreach_talks t WHERE t.office_id = ${office(code)} AND t.status = 'submitted' AND EXISTS (SELECT 1 FROM outreach_photos p WHERE p.talk_id = t.id)`;
const photoOf = (code: string) => `SELECT min(id) FROM outreach_photos WHERE talk_id = (${talkOf(code)})`;
const CADRE_DRAFT = `SELECT max(id) FROM outreach_talks WHERE recorded_by = ${user(CADRE)} AND status = 'draft'`;
const talkSummary = (talk: string) => `SELECT summary FROM outreach_talks WHERE id = (${talk})`;
/** 宣讲地点: a seeded place of an office, kept by the admins of the office and above. */
const placeOf = (code: string) => `SELECT min(id) FROM outreach_places WHERE office_id = ${office(code)}`;
const placeName = (place: string) => `SELECT name FROM outreach_places WHERE id = (${place})`;
const talkTargets = (edit: boolean): Target[] => [
	{
		params: { id: talkOf('lishi') },
		visible: edit ? ADMINS : ['cadre', ...ADMINS],
		secret: talkSummary(talkOf('lishi'))
	},
	{
		params: { id: talkOf('xiaoyi') },
		visible: ['cityAdmin', 'sysadmin'],
		secret: talkSummary(talkOf('xiaoyi'))
	},
	{ params: { id: CADRE_DRAFT }, visible: ['cadre'], secret: talkSummary(CADRE_DRAFT) }
];

/**
 * A resource a route's params point at, and who may see it (among the roles its area lets in).
 * The others get a 403/404 without `secret` (SQL for text only the resource shows, such as its
 * member's name) — or, when `filtered`, the page without it.
 */
interface Target {
	params?: Record<string, string>;
	query?: string;
	visible: Who[];
	secret?: string;
	filtered?: boolean;
	/** Statuses that count as "shown" besides 200 (a redirect to where it is shown). */
	shown?: number[];
}

/** Every dynamic route needs an entry (the test fails otherwise); static routes may add scoped targets. */
const TARGETS: Record<string, Target[]> = {
	'/admin/audit/export.[format]': [{ params: { format: "SELECT 'csv'" }, visible: ['sysadmin'] }],
	// A backup the sysadmin made in beforeAll.
	'/admin/backups/[id]/download': [
		{
			params: {
				id: 'SELECT max(id) FROM backups WHERE file_name IS NOT NULL AND error IS NULL AND removed_at IS NULL'
			},
			visible: ['sysadmin']
		}
	],
	'/admin/offices/[id]': [{ params: { id: `SELECT ${office('lishi')}` }, visible: ['sysadmin'] }],
	'/admin/schools/[id]': [{ params: { id: 'SELECT min(id) FROM schools' }, visible: ['sysadmin'] }],
	'/admin/users/[id]': [{ params: { id: `SELECT ${user(MEMBER.lishi)}` }, visible: ['sysadmin'] }],
	// Only the owner's own admins: another office (even the parent office) or a school sees nothing.
	'/author/[id]': [
		{ params: { id: SCHOOL_DRAFT }, visible: ['schoolAdmin'], secret: draftTitle(SCHOOL_DRAFT) },
		{ params: { id: LISHI_MODULE }, visible: ['officeAdmin'], secret: draftTitle(LISHI_MODULE) }
	],
	'/author/[id]/review': [
		{ params: { id: SCHOOL_DRAFT }, visible: ['schoolAdmin'], secret: draftTitle(SCHOOL_DRAFT) },
		{ params: { id: LISHI_MODULE }, visible: ['officeAdmin'], secret: draftTitle(LISHI_MODULE) }
	],
	// The lesson and question editors of a draft (the published module's draft has questions).
	'/author/[id]/lessons/new': [
		{ params: { id: SCHOOL_DRAFT }, visible: ['schoolAdmin'], secret: draftTitle(SCHOOL_DRAFT) }
	],
	'/author/[id]/lessons/[key]': [
		{
			params: {
				id: SCHOOL_DRAFT,
				key: "SELECT json_extract(doc, '$.lessons[0].key') FROM module_drafts WHERE id = :id"
			},
			visible: ['schoolAdmin']
		}
	],
	'/author/[id]/questions': [
		{ params: { id: SCHOOL_PUBLISHED }, visible: ['schoolAdmin'], secret: draftTitle(SCHOOL_PUBLISHED) }
	],
	'/author/[id]/questions/new': [{ params: { id: SCHOOL_PUBLISHED }, visible: ['schoolAdmin'] }],
	'/author/[id]/questions/[key]': [
		{
			params: {
				id: SCHOOL_PUBLISHED,
				key: "SELECT json_extract(doc, '$.questions[0].key') FROM module_drafts WHERE id = :id"
			},
			visible: ['schoolAdmin']
		}
	],
	// Importing and exporting the bank: the owner's admins only; a staged import (beforeAll) is its author's.
	'/author/[id]/questions/import': [
		{ params: { id: SCHOOL_PUBLISHED }, visible: ['schoolAdmin'], secret: draftTitle(SCHOOL_PUBLISHED) },
		{ params: { id: LISHI_MODULE }, visible: ['officeAdmin'], secret: draftTitle(LISHI_MODULE) }
	],
	'/author/[id]/questions/import/[token]': [
		{
			params: { id: SCHOOL_PUBLISHED, token: SCHOOL_IMPORT },
			visible: ['schoolAdmin'],
			secret: "SELECT 'access.matrix.question'"
		}
	],
	'/author/[id]/questions/export': [
		{ params: { id: SCHOOL_PUBLISHED }, visible: ['schoolAdmin'], secret: draftTitle(SCHOOL_PUBLISHED) }
	],
	'/author/[id]/questions/export.[kind]': [
		{ params: { id: SCHOOL_PUBLISHED, kind: "SELECT 'csv'" }, visible: ['schoolAdmin'] },
		{ params: { id: LISHI_MODULE, kind: "SELECT 'gift'" }, visible: ['officeAdmin'] }
	],
	'/author/questions-template.[format]': [
		{ params: { format: "SELECT 'xlsx'" }, visible: ['officeAdmin', 'cityAdmin', 'schoolAdmin'] }
	],
	'/author/[id]/versions': [
		{ params: { id: SCHOOL_PUBLISHED }, visible: ['schoolAdmin'], secret: draftTitle(SCHOOL_PUBLISHED) },
		{ params: { id: LISHI_MODULE }, visible: ['officeAdmin'], secret: draftTitle(LISHI_MODULE) }
	],
	'/author/[id]/versions/[version]': [
		{
			params: {
				id: SCHOOL_PUBLISHED,
				version: 'SELECT min(version) FROM module_versions WHERE draft_id = :id'
			},
			visible: ['schoolAdmin'],
			secret: draftTitle(SCHOOL_PUBLISHED)
		}
	],
	'/author/papers/[id]': [
		{ params: { id: SCHOOL_PAPER }, visible: ['schoolAdmin'], secret: paperTitle(SCHOOL_PAPER) },
		{ params: { id: LISHI_PAPER }, visible: ['officeAdmin'], secret: paperTitle(LISHI_PAPER) }
	],
	'/author/exams/[id]': examTargets(),
	'/author/exams/[id]/edit': examTargets(),
	'/author/exams/[id]/candidates': examTargets(),
	'/author/exams/[id]/grading': examTargets(false),
	'/author/exams/[id]/analysis': examTargets(),
	'/author/exams/[id]/results.xlsx': [
		{ params: { id: SCHOOL_EXAM }, visible: ['schoolAdmin'] },
		{ params: { id: LISHI_EXAM }, visible: ['officeAdmin'] }
	],
	'/author/exams/[id]/print/[office]': [
		{
			params: { id: SCHOOL_EXAM, office: `SELECT ${office('lishi')}` },
			visible: ['schoolAdmin'],
			secret: examTitle(SCHOOL_EXAM)
		},
		{
			params: { id: LISHI_EXAM, office: `SELECT ${office('lishi')}` },
			visible: ['officeAdmin'],
			secret: examTitle(LISHI_EXAM)
		}
	],
	'/media/[id]': [{ params: { id: SCHOOL_MEDIA }, visible: ['schoolAdmin'] }],
	'/certificates/[serial]': [
		{
			params: { serial: certificateOf('lishi') },
			visible: ADMINS,
			secret: `SELECT name FROM certificates WHERE serial = (${certificateOf('lishi')})`
		},
		{
			params: { serial: certificateOf('xiaoyi') },
			visible: ['cityAdmin', 'sysadmin'],
			secret: `SELECT name FROM certificates WHERE serial = (${certificateOf('xiaoyi')})`
		}
	],
	'/learn/[module]': [{ params: { module: MODULE }, visible: SIGNED_IN }],
	// 读原文: every part is for everyone signed in; a part that is not in the report is a Chinese 404.
	'/learn/report/[part]': [{ params: { part: "SELECT '3'" }, visible: SIGNED_IN }],
	'/learn/report/[...rest]': [{ params: { '...rest': "SELECT '17'" }, visible: [] }],
	'/learn/[module]/[lesson]': [
		{
			params: {
				module: MODULE,
				lesson:
					'SELECT l.slug FROM lessons l JOIN modules m ON m.id = l.module_id WHERE m.slug = :module ORDER BY l.sort_order LIMIT 1'
			},
			visible: SIGNED_IN
		}
	],
	// The seeded live quiz of 离石区: its first cadres played it; its office's admins host it.
	'/live/[id]': [{ params: { id: 'SELECT min(id) FROM live_quizzes' }, visible: ['cadre'] }],
	'/live/[id]/events': [
		{ params: { id: 'SELECT min(id) FROM live_quizzes' }, visible: ['cadre', ...ADMINS] }
	],
	'/notifications/[id]': [
		{
			params: { id: `SELECT min(id) FROM notifications WHERE user_id = ${user(CADRE)}` },
			visible: ['cadre'],
			shown: [303]
		}
	],
	'/office/audit/export.[format]': [{ params: { format: "SELECT 'csv'" }, visible: ADMINS }],
	'/office/compare/export.[format]': [
		{ params: { format: "SELECT 'csv'" }, visible: ADMINS },
		{ params: { format: "SELECT 'csv'" }, query: 'office={xiaoyi}', visible: ['cityAdmin', 'sysadmin'] }
	],
	'/office/courses/[id]': [
		// Course 2 is assigned to 离石区 and 孝义市: each admin sees only the members in their scope.
		{
			params: { id: 'SELECT min(course_id) FROM assignments WHERE office_id = ' + office('xiaoyi') },
			visible: ['cityAdmin', 'sysadmin'],
			filtered: true,
			secret: 'XIAOYI_BEHIND'
		}
	],
	'/office/dashboard/export.[format]': [
		{ params: { format: "SELECT 'csv'" }, visible: ADMINS },
		{ params: { format: "SELECT 'csv'" }, query: 'office={xiaoyi}', visible: ['cityAdmin', 'sysadmin'] }
	],
	// 宣讲 figures, export and printed summary of another office: only for the admins above it.
	'/office/outreach': [{ query: 'office={xiaoyi}', visible: ['cityAdmin', 'sysadmin'] }],
	'/office/outreach/export.xlsx': [{ query: 'office={xiaoyi}', visible: ['cityAdmin', 'sysadmin'] }],
	'/office/outreach/print': [{ query: 'office={xiaoyi}', visible: ['cityAdmin', 'sysadmin'] }],
	// 宣讲地点 of another office (list, import, one place): only for the admins above it.
	'/office/outreach/places': [{ query: 'office={xiaoyi}', visible: ['cityAdmin', 'sysadmin'] }],
	'/office/outreach/places/import': [{ query: 'office={xiaoyi}', visible: ['cityAdmin', 'sysadmin'] }],
	'/office/outreach/places/[id]': [
		{ params: { id: placeOf('lishi') }, visible: ADMINS, secret: placeName(placeOf('lishi')) },
		{
			params: { id: placeOf('xiaoyi') },
			visible: ['cityAdmin', 'sysadmin'],
			secret: placeName(placeOf('xiaoyi'))
		}
	],
	'/office/outreach/places/template.[format]': [{ params: { format: "SELECT 'csv'" }, visible: ADMINS }],
	'/office/live/[id]': [{ params: { id: 'SELECT min(id) FROM live_quizzes' }, visible: ADMINS }],
	'/office/live/[id]/results.csv': [{ params: { id: 'SELECT min(id) FROM live_quizzes' }, visible: ADMINS }],
	'/office/members/[id]/edit': [
		{ params: { id: `SELECT ${user(MEMBER.lishi)}` }, visible: ADMINS },
		{
			params: { id: `SELECT ${user(MEMBER.xiaoyi)}` },
			visible: ['cityAdmin', 'sysadmin'],
			secret: nameOf(MEMBER.xiaoyi)
		}
	],
	'/office/members/[id]/record': [
		{ params: { id: `SELECT ${user(MEMBER.lishi)}` }, visible: ADMINS },
		{
			params: { id: `SELECT ${user(MEMBER.xiaoyi)}` },
			visible: ['cityAdmin', 'sysadmin'],
			secret: nameOf(MEMBER.xiaoyi)
		}
	],
	// Staged by 离石区's admin in beforeAll: a preview only its uploader sees (to others the page
	// says the import is gone, as it does once an import is confirmed).
	'/office/members/import/[id]': [
		{
			filtered: true,
			params: {
				id: `SELECT id FROM member_imports WHERE created_by = ${user('lishi.admin')} ORDER BY created_at DESC LIMIT 1`
			},
			visible: ['officeAdmin'],
			secret: "SELECT 'access.matrix'"
		}
	],
	'/office/members/import/template.[format]': [{ params: { format: "SELECT 'xlsx'" }, visible: ADMINS }],
	// The old address of 集中学习: its admins are sent to the new one.
	'/office/sessions/[...rest]': [{ params: { '...rest': "SELECT 'new'" }, visible: ADMINS, shown: [308] }],
	'/office/study-sessions/[id]': [
		{ params: { id: sessionOf('lishi') }, visible: ADMINS },
		{
			params: { id: sessionOf('xiaoyi') },
			visible: ['cityAdmin', 'sysadmin'],
			secret: `SELECT title FROM study_sessions WHERE id = (${sessionOf('xiaoyi')})`
		}
	],
	'/office/study-sessions/[id]/screen': [
		{ params: { id: sessionOf('lishi') }, visible: ADMINS },
		{
			params: { id: sessionOf('xiaoyi') },
			visible: ['cityAdmin', 'sysadmin'],
			secret: `SELECT title FROM study_sessions WHERE id = (${sessionOf('xiaoyi')})`
		}
	],
	'/exams/[id]': [
		{ params: { id: CANDIDATE_EXAM }, visible: ['cadre', 'officeAdmin'], secret: examTitle(CANDIDATE_EXAM) }
	],
	'/exams/[id]/result': [
		{ params: { id: CANDIDATE_EXAM }, visible: ['cadre', 'officeAdmin'], secret: examTitle(CANDIDATE_EXAM) }
	],
	// The cadre's own sitting: handed in, it sends them to the exam's page.
	'/exams/attempt/[id]': [{ params: { id: CADRE_EXAM_ATTEMPT }, visible: ['cadre'], shown: [303] }],
	// The cadre's own attempt: a submitted one opens its result.
	'/quiz/attempt/[id]': [
		{
			params: { id: `SELECT min(id) FROM attempts WHERE user_id = ${user(CADRE)}` },
			visible: ['cadre'],
			shown: [303]
		}
	],
	'/quiz/attempt/[id]/result': [
		{
			params: {
				id: `SELECT min(id) FROM attempts WHERE user_id = ${user(CADRE)} AND submitted_at IS NOT NULL`
			},
			visible: ['cadre']
		}
	],
	'/quiz/module/[slug]': [{ params: { slug: MODULE }, visible: SIGNED_IN }],
	'/reflections/[id]': [
		// Not excellent: the author's office-chain admins and the sysadmin only (not the office's other cadres).
		{
			params: { id: reflectionOf(MEMBER.lishi) },
			visible: ADMINS,
			secret: nameOf(MEMBER.lishi)
		},
		{
			params: { id: reflectionOf(MEMBER.xiaoyi) },
			visible: ['cityAdmin', 'sysadmin'],
			secret: nameOf(MEMBER.xiaoyi)
		}
	],
	'/outreach/[id]': talkTargets(false),
	'/outreach/[id]/edit': talkTargets(true),
	'/outreach/photos/[id]': [
		{ params: { id: photoOf('lishi') }, visible: ['cadre', ...ADMINS] },
		{ params: { id: photoOf('xiaoyi') }, visible: ['cityAdmin', 'sysadmin'] }
	],
	'/school/audit/export.[format]': [
		{ params: { format: "SELECT 'csv'" }, visible: ['schoolAdmin', 'sysadmin'] }
	],
	'/school/courses/[id]': [{ params: { id: SCHOOL_COURSE }, visible: ['schoolAdmin', 'sysadmin'] }],
	'/school/courses/[id]/offices/[officeId]': [
		{
			params: { id: SCHOOL_COURSE, officeId: `SELECT ${office('lishi')}` },
			visible: ['schoolAdmin', 'sysadmin']
		}
	],
	'/school/quiz/[slug]': [{ params: { slug: MODULE }, visible: ['schoolAdmin', 'sysadmin'] }],
	'/verify/[serial]': [{ params: { serial: certificateOf('lishi') }, visible: ['anonymous', ...SIGNED_IN] }],
	// Static pages that take an office in the query: another office's figures stay out of reach.
	'/office/dashboard': [{ query: 'office={xiaoyi}', visible: ['cityAdmin', 'sysadmin'] }],
	'/office/coverage': [{ query: 'office={xiaoyi}', visible: ['cityAdmin', 'sysadmin'] }],
	'/office/members': [
		{
			query: 'office={xiaoyi}',
			visible: ['cityAdmin', 'sysadmin'],
			filtered: true,
			secret: nameOf(MEMBER.xiaoyi)
		}
	]
};

/**
 * Static pages an allowed role does not get as 200 or a redirect, and why. (Each is a page
 * that needs something the role lacks, refused in Chinese rather than shown empty.)
 */
const STATIC_REFUSALS: Record<string, Partial<Record<Who, number>>> = {
	// The national view's read-only figures: no session opens them, only an API token (national.test.ts).
	'/api/figures': Object.fromEntries(WHO.map((who) => [who, 401]))
};

// ---------------------------------------------------------------------------------------------

const ROUTES = discoverRoutes();
let db: Database.Database;
const cookies = new Map<Who, string>();
/** Values the SQL above may name: `{xiaoyi}` in queries, `XIAOYI_BEHIND` as a secret. */
const names = new Map<string, string>();

interface Resolved {
	route: string;
	path: string;
	target: Target;
	secret: string | null;
}

function sql(text: string, values: Record<string, string> = {}): string | null {
	const named = Object.fromEntries(Object.entries(values).filter(([k]) => text.includes(`:${k}`)));
	const row = db.prepare(text).raw().get(named) as unknown[] | undefined;
	return row && row[0] !== null && row[0] !== undefined ? String(row[0]) : null;
}

function resolve(route: RouteInfo, target: Target): Resolved {
	const values: Record<string, string> = {};
	for (const param of route.params) {
		const text = target.params?.[param];
		if (!text) throw new Error(`${route.id}: no SQL for [${param}] in TARGETS`);
		const value = sql(text, values);
		if (value === null) throw new Error(`${route.id}: no row for [${param}]: ${text}`);
		values[param] = value;
	}
	const query = target.query?.replace(/\{(\w+)\}/g, (_, k: string) => names.get(k) ?? '') ?? '';
	const secret = target.secret ? (names.get(target.secret) ?? sql(target.secret)) : null;
	if (target.secret && !secret) throw new Error(`${route.id}: no secret for ${target.secret}`);
	return { route: route.id, path: fill(route.id, values) + (query ? `?${query}` : ''), target, secret };
}

/** Who the area rules let in: 'login' (anonymous), 'forbidden', or 'allowed'. */
function areaOutcome(route: string, who: Who): 'login' | 'forbidden' | 'allowed' {
	const roles = ruleFor(route.replace(/\[[^\]]+\]/g, 'x'));
	if (roles === 'anyone') return 'allowed';
	if (who === 'anonymous') return 'login';
	if (roles === 'signed-in') return 'allowed';
	return roles.includes(ROLE[who]) ? 'allowed' : 'forbidden';
}

// `backups`: the daily backup's sweeper claims and records the day's backup once BACKUP_TIME has
// passed, whatever the tests do (a 立即备份 that got through would write audit_log too).
const CHANGING_TABLES = new Set(['sessions', 'rate_limits', 'login_failures', 'backups']);

beforeAll(async () => {
	db = readDb();
	for (const [who, username] of Object.entries(ACCOUNTS)) cookies.set(who as Who, await signIn(username));
	names.set('xiaoyi', sql(`SELECT ${office('xiaoyi')}`)!);
	// A 孝义市 member behind on the shared course: 离石区's admin must not see the name.
	const behind = sql(
		`SELECT u.name FROM enrolments e JOIN users u ON u.id = e.user_id WHERE e.course_id = (SELECT min(course_id) FROM assignments WHERE office_id = ${office('xiaoyi')}) AND u.office_id = ${office('xiaoyi')} AND e.completed_at IS NULL AND e.active = 1 ORDER BY u.id LIMIT 1`
	);
	if (!behind) throw new Error('no 孝义市 member behind on the shared course');
	names.set('XIAOYI_BEHIND', behind);
	// A staged import of 离石区's admin (a row with an error stays staged for its preview).
	const csv = '姓名,登录名,单位,职务,手机号\n,access.matrix,离石区人大常委会,,\n';
	const body = `------matrix\r\nContent-Disposition: form-data; name="file"; filename="matrix.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n------matrix--\r\n`;
	const staged = await send('/office/members/import', {
		method: 'POST',
		cookie: cookies.get('officeAdmin'),
		headers: { 'content-type': 'multipart/form-data; boundary=----matrix', accept: 'text/html' },
		body
	});
	if (staged.status !== 303) throw new Error(`staging an import answered ${staged.status}`);
	// A question import of the school's published module, staged by its admin: its preview is theirs.
	const importing = await send(`/author/${sql(SCHOOL_PUBLISHED)}/questions/import?/stage`, {
		method: 'POST',
		cookie: cookies.get('schoolAdmin'),
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams({
			text: '1. access.matrix.question 由谁选举产生？（A）\nA. 选民\nB. 上级\n解析：选举。',
			format: 'auto'
		}).toString()
	});
	if (importing.status !== 303) throw new Error(`staging a question import answered ${importing.status}`);
	// A paper and an exam of 离石区's admin (one built-in single-choice question; no candidates).
	const question = sql(
		`SELECT min(q.id) FROM questions q JOIN modules m ON m.id = q.module_id WHERE q.type = 'single'
		 AND q.archived_at IS NULL AND m.archived_at IS NULL AND m.owner_school_id IS NULL AND m.owner_office_id IS NULL`
	)!;
	const officeForm = (path: string, fields: Record<string, string>) =>
		send(path, {
			method: 'POST',
			cookie: cookies.get('officeAdmin'),
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams(fields).toString()
		});
	const paper = await officeForm('/author/papers/new?/save', {
		title: '离石区访问矩阵试卷',
		instructions: '',
		passMark: '1',
		'sections.0.kind': 'fixed',
		'sections.0.title': '一、单项选择题',
		'sections.0.instructions': '',
		'sections.0.items.0.questionId': question,
		'sections.0.items.0.points': '2'
	});
	const paperId = /\/author\/papers\/(\d+)/.exec(paper.location ?? '')?.[1];
	if (paper.status !== 303 || !paperId) throw new Error(`making 离石区's paper answered ${paper.status}`);
	const exam = await officeForm('/author/exams/new?/create', {
		title: '离石区访问矩阵考试',
		instructions: '',
		paperId,
		opensAt: '2030-06-01T09:00',
		closesAt: '2030-06-01T11:00',
		durationMinutes: '60',
		attemptsAllowed: '1',
		counting: 'highest',
		gradingMargin: '2',
		creditHours: '0'
	});
	if (exam.status !== 303) throw new Error(`making 离石区's exam answered ${exam.status}`);
	// A backup to download (立即备份 as the sysadmin, as a form without JavaScript posts it).
	const backedUp = await send('/admin/backups', {
		method: 'POST',
		cookie: cookies.get('sysadmin'),
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: ''
	});
	if (backedUp.status !== 200 || !backedUp.text.includes('备份完成'))
		throw new Error(`a backup answered ${backedUp.status}`);
	// A 宣讲 draft of the cadre: only they see it.
	const drafted = await send('/outreach/new', {
		method: 'POST',
		cookie: cookies.get('cadre'),
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams({
			summary: '访问矩阵的宣讲草稿，只有记录人能看到。',
			intent: 'draft'
		}).toString()
	});
	if (drafted.status !== 303) throw new Error(`saving a draft talk answered ${drafted.status}`);
	// A picture in the school's media library (1×1 PNG).
	const png = Buffer.from(
		'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
		'base64'
	);
	const uploaded = await send('/author/media/upload', {
		method: 'POST',
		cookie: cookies.get('schoolAdmin'),
		headers: { 'content-type': 'multipart/form-data; boundary=----matrix' },
		body: Buffer.concat([
			Buffer.from(
				'------matrix\r\nContent-Disposition: form-data; name="file"; filename="matrix.png"\r\n\r\n'
			),
			png,
			Buffer.from('\r\n------matrix--\r\n')
		])
	});
	if (uploaded.status !== 303 || !uploaded.location?.includes('uploaded='))
		throw new Error(`uploading a picture answered ${uploaded.status} ${uploaded.location}`);
}, 60_000);

afterAll(() => db?.close());

function refusedInChinese(reply: Reply): boolean {
	return CHINESE.test(reply.text) && !reply.text.includes('服务器出了点问题');
}

describe('routes found on disk', () => {
	it('finds the pages and endpoints, and has a target for every dynamic one', () => {
		const ids = ROUTES.map((r) => r.id);
		expect(ids).toEqual(
			expect.arrayContaining([
				'/',
				'/login',
				'/admin/users/[id]',
				'/office/study-sessions/[id]',
				'/reflections/[id]',
				'/live/[id]/events'
			])
		);
		expect(ROUTES.filter((r) => r.params.length && !TARGETS[r.id]).map((r) => r.id)).toEqual([]);
	});
});

describe('every route as every role', () => {
	for (const who of WHO) {
		it(`${who}: the area guard, then only what is in scope`, async () => {
			const problems: string[] = [];
			for (const route of ROUTES) {
				const targets: (Target | null)[] = route.params.length
					? TARGETS[route.id]!
					: [null, ...(TARGETS[route.id] ?? [])];
				for (const target of targets) {
					let r: Resolved;
					try {
						r = target
							? resolve(route, target)
							: { route: route.id, path: route.id, target: { visible: SIGNED_IN }, secret: null };
					} catch (e) {
						problems.push((e as Error).message);
						continue;
					}
					const reply = await send(r.path, { cookie: cookies.get(who) });
					const what = `${who} GET ${r.path} → ${reply.status} ${reply.location ?? ''}`;
					if (reply.status >= 500) {
						problems.push(`${what}: ${reply.text.slice(0, 160)}`);
						continue;
					}
					const area = areaOutcome(route.id, who);
					if (area === 'login') {
						if (reply.status !== 303 || !reply.location?.startsWith('/login'))
							problems.push(`${what}: expected a redirect to /login`);
						continue;
					}
					if (area === 'forbidden') {
						if (reply.status !== 403 || !refusedInChinese(reply))
							problems.push(`${what}: expected a Chinese 403`);
						continue;
					}
					const staticRefusal = !target && STATIC_REFUSALS[route.id]?.[who];
					if (staticRefusal) {
						if (reply.status !== staticRefusal || !refusedInChinese(reply))
							problems.push(`${what}: expected a Chinese ${staticRefusal}`);
						continue;
					}
					const visible = !target || target.visible.includes(who);
					const shown = [200, ...(target?.shown ?? [])];
					if (visible || target.filtered) {
						const redirectOk = !target && reply.status === 303 && !reply.location?.startsWith('/login');
						if (!shown.includes(reply.status) && !redirectOk) problems.push(`${what}: expected it shown`);
					} else if (![403, 404].includes(reply.status) || !refusedInChinese(reply)) {
						problems.push(`${what}: expected a Chinese 403/404 (out of scope)`);
					}
					if (!visible && r.secret && reply.text.includes(r.secret))
						problems.push(`${what}: shows ${r.secret.slice(0, 40)}`);
					// What only the resource shows must show to those who may see it, or its absence proves nothing.
					if (visible && r.secret && reply.status === 200 && !reply.text.includes(r.secret))
						problems.push(`${what}: does not show ${r.secret.slice(0, 40)}`);
				}
			}
			expect(problems).toEqual([]);
		});
	}
});

/** Form actions posted by someone who may not use them: by area, then by scope and ownership. */
describe('form actions refused to whoever may not use them, with nothing written', () => {
	let watch: TableWatch;
	beforeAll(() => {
		watch = new TableWatch(db, CHANGING_TABLES);
	});

	function form(pairs: [string, string][]): { 'content-type': string; body: string } {
		return {
			'content-type': 'application/x-www-form-urlencoded',
			body: new URLSearchParams(pairs).toString()
		};
	}

	async function postAs(who: Who, path: string, pairs: [string, string][]): Promise<Reply> {
		const { body, ...headers } = form(pairs);
		return send(path, {
			method: 'POST',
			cookie: cookies.get(who),
			headers: { ...headers, accept: 'text/html' },
			body
		});
	}

	it('by area: every action of /admin, /office and /school, as each role outside it', async () => {
		const problems: string[] = [];
		for (const route of ROUTES) {
			if (!route.actions.length) continue;
			const targets = route.params.length ? TARGETS[route.id]! : [null];
			const path = targets[0] ? resolve(route, targets[0]).path.replace(/\?.*$/, '') : route.id;
			for (const action of route.actions) {
				for (const who of WHO) {
					const area = areaOutcome(route.id, who);
					if (area === 'allowed') continue;
					// Plausible values: the guard must refuse before any of them is read.
					const reply = await postAs(
						who,
						path + action.query,
						route.fields.map((f) => [f, '1'])
					);
					const what = `${who} POST ${path}${action.query} → ${reply.status}`;
					if (area === 'login' && (reply.status !== 303 || !reply.location?.startsWith('/login')))
						problems.push(`${what}: expected a redirect to /login`);
					if (area === 'forbidden' && (reply.status !== 403 || !refusedInChinese(reply)))
						problems.push(`${what}: expected a Chinese 403`);
					const changed = watch.changes();
					if (changed.length) problems.push(`${what}: wrote ${changed.join(', ')}`);
				}
			}
		}
		expect(problems).toEqual([]);
	});

	it('by scope and ownership: another office, another author, another player', async () => {
		const id = (text: string) => sql(text)!;
		const xiaoyiMember = id(`SELECT ${user(MEMBER.xiaoyi)}`);
		const xiaoyiSession = id(sessionOf('xiaoyi'));
		const xiaoyiReflection = id(reflectionOf(MEMBER.xiaoyi));
		const lishiReflection = id(reflectionOf(MEMBER.lishi));
		const cadreAttempt = id(`SELECT min(id) FROM attempts WHERE user_id = ${user(CADRE)}`);
		const live = id('SELECT min(id) FROM live_quizzes');
		const schoolModule = id(SCHOOL_PUBLISHED);
		const schoolImport = sql(SCHOOL_IMPORT, { id: schoolModule })!;
		const long = '这篇心得写得很好，联系实际，值得大家学习借鉴。';
		const cases: [Who, string, [string, string][]][] = [
			[
				'officeAdmin',
				`/office/study-sessions/${xiaoyiSession}?/attendance`,
				[
					['userId', xiaoyiMember],
					['present', 'true']
				]
			],
			['officeAdmin', `/office/study-sessions/${xiaoyiSession}?/minutes`, [['minutes', '越权写入的纪要']]],
			['officeAdmin', '/office/members?/deactivate', [['userId', xiaoyiMember]]],
			['officeAdmin', '/office/members?/reset', [['userId', xiaoyiMember]]],
			[
				'officeAdmin',
				`/office/members/${xiaoyiMember}/edit`,
				[
					['name', '越权改名'],
					['title', '科员'],
					['phone', ''],
					['officeId', names.get('xiaoyi')!]
				]
			],
			['officeAdmin', `/reflections/${xiaoyiReflection}?/excellent`, [['excellent', 'true']]],
			['officeAdmin', `/reflections/${xiaoyiReflection}?/comment`, [['comment', long]]],
			['cadre', `/reflections/${lishiReflection}?/excellent`, [['excellent', 'true']]],
			['cadre', `/reflections/${lishiReflection}?/comment`, [['comment', long]]],
			[
				'cadre',
				`/reflections/${lishiReflection}?/save`,
				[
					['title', '改写别人的心得'],
					['body', long.repeat(20)],
					['intent', 'draft']
				]
			],
			[
				'officeAdmin',
				`/quiz/attempt/${cadreAttempt}?/answer`,
				[
					['position', '1'],
					['choice', '0']
				]
			],
			['officeAdmin', `/quiz/attempt/${cadreAttempt}?/submit`, []],
			// Another candidate's exam sitting, and an exam they are no candidate of.
			[
				'officeAdmin',
				`/exams/attempt/${id(CADRE_EXAM_ATTEMPT)}?/answer`,
				[
					['position', '1'],
					['choice', '0'],
					['go', 'stay']
				]
			],
			['officeAdmin', `/exams/attempt/${id(CADRE_EXAM_ATTEMPT)}?/submit`, []],
			['schoolAdmin', `/exams/${id(CANDIDATE_EXAM)}?/start`, []],
			['schoolAdmin', `/live/${live}?/answer`, [['choice', '0']]],
			// Another owner's bank: nothing staged, imported or discarded.
			[
				'officeAdmin',
				`/author/${schoolModule}/questions/import?/stage`,
				[['text', '1. 题目（A）\nA. 甲\nB. 乙']]
			],
			['officeAdmin', `/author/${schoolModule}/questions/import/${schoolImport}`, [['count', '1']]],
			['officeAdmin', `/author/${schoolModule}/questions/import?/discard`, [['token', schoolImport]]],
			// Another owner's paper and exams: not edited, deleted, cancelled, released or assigned.
			['officeAdmin', '/author/papers?/archive', [['paperId', id(SCHOOL_PAPER)]]],
			['officeAdmin', `/author/papers/${id(SCHOOL_PAPER)}?/save`, [['title', '越权改卷']]],
			['officeAdmin', `/author/exams/${id(SCHOOL_EXAM)}?/cancel`, []],
			['officeAdmin', `/author/exams/${id(SCHOOL_EXAM)}?/release`, []],
			['officeAdmin', `/author/exams/${id(SCHOOL_EXAM)}?/remind`, []],
			['cityAdmin', `/author/exams/${id(LISHI_EXAM)}?/cancel`, []],
			[
				'cityAdmin',
				`/author/exams/${id(LISHI_EXAM)}/candidates?/assignOffice`,
				[
					['officeId', names.get('xiaoyi')!],
					['includeDescendants', 'on']
				]
			],
			// 宣讲: another office's talk, a talk the cadre did not record, someone else's draft, an office
			// or a speaker out of scope.
			[
				'officeAdmin',
				`/outreach/${id(talkOf('xiaoyi'))}/edit`,
				[
					['audience', '99'],
					['intent', 'submit']
				]
			],
			[
				'cadre',
				`/outreach/${id(talkOf('lishi'))}/edit`,
				[
					['audience', '99'],
					['intent', 'submit']
				]
			],
			['officeAdmin', `/outreach/${id(CADRE_DRAFT)}?/delete`, []],
			['cityAdmin', `/outreach/${id(talkOf('lishi'))}?/delete`, []],
			[
				'officeAdmin',
				'/outreach/new',
				[
					['officeId', names.get('xiaoyi')!],
					['intent', 'draft']
				]
			],
			[
				'cadre',
				'/outreach/new',
				[
					['speakers', xiaoyiMember],
					['intent', 'draft']
				]
			],
			// Not a grader of the exam: no grade is written.
			[
				'schoolAdmin',
				`/author/exams/${id(LISHI_EXAM)}/grading?/grade`,
				[
					['attemptId', '1'],
					['position', '0'],
					['scores.0', '1']
				]
			]
		];
		const problems: string[] = [];
		for (const [who, path, pairs] of cases) {
			const reply = await postAs(who, path, pairs);
			const what = `${who} POST ${path} → ${reply.status}`;
			if (reply.status < 400 || reply.status >= 500 || !refusedInChinese(reply))
				problems.push(`${what}: expected a Chinese refusal`);
			const changed = watch.changes();
			if (changed.length) problems.push(`${what}: wrote ${changed.join(', ')}`);
		}
		expect(problems).toEqual([]);
	});
});
