import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { parse as decodeActionData } from 'devalue';
import {
	CHINESE,
	discoverRoutes,
	fill,
	pick,
	readDb,
	send,
	signIn,
	TableWatch,
	type ActionInfo,
	type Reply,
	type RouteInfo
} from './site-map';

/**
 * Every form action found under src/routes is posted garbage, as the role that may use it:
 * missing, empty, oversized, wrong-typed, control-character and badly encoded values, and
 * bodies that are no form at all. Each answer must be below 500, say what is wrong in Chinese
 * when it refuses, and leave every table as it was (the values are invalid for any field, so a
 * change means garbage was written). One request per action and case keeps it well under a minute.
 */

/** A seeded cadre of 离石区 that no other test signs in as (its guesses are throttled per user). */
const CADRE = 'lishi.019';
const ACCOUNTS = {
	cadre: CADRE,
	spare: CADRE,
	office: 'lishi.admin',
	school: 'dangxiao',
	sysadmin: 'admin'
} as const;
type Actor = keyof typeof ACCOUNTS | 'anonymous';

/** Who may use an action: by its area, or as listed here. */
const ACTORS: Record<string, Actor> = {
	'/reflections/[id]?/comment': 'office',
	'/reflections/[id]?/excellent': 'office',
	// Its own session: a logout that went through would sign the cadre out of every later case.
	'/logout': 'spare'
};

function actorFor(route: string, action: ActionInfo): Actor {
	const listed = ACTORS[route + action.query];
	if (listed) return listed;
	if (route === '/login') return 'anonymous';
	if (route.startsWith('/admin')) return 'sysadmin';
	if (route.startsWith('/office')) return 'office';
	if (route.startsWith('/school')) return 'school';
	// 内容编写: the party school's admin (its seeded draft and published module below).
	if (route.startsWith('/author')) return 'school';
	return 'cadre';
}

const user = (username: string) => `(SELECT id FROM users WHERE username = '${username}')`;
const LISHI = "(SELECT id FROM offices WHERE code = 'lishi')";
const QUIZ_MODULE =
	'SELECT slug FROM modules m WHERE archived_at IS NULL AND EXISTS (SELECT 1 FROM questions q WHERE q.module_id = m.id) ORDER BY sort_order, id LIMIT 1';
/** The school's seeded draft that was never published (so approve, return and 下线 refuse it). */
const SCHOOL_OF = "(SELECT school_id FROM users WHERE username = 'dangxiao')";
const AUTHOR_DRAFT = `SELECT min(id) FROM module_drafts WHERE owner_school_id = ${SCHOOL_OF} AND module_id IS NULL AND status = 'editing'`;
/** The school's seeded module with published versions. */
const AUTHOR_PUBLISHED = `SELECT min(draft_id) FROM module_versions v JOIN module_drafts d ON d.id = v.draft_id WHERE d.owner_school_id = ${SCHOOL_OF}`;
/** 试卷 and 考试: the school's seeded paper, and its open exam (its 简答 wait in dangxiao's grading queue). */
const SCHOOL_PAPER = `SELECT min(id) FROM exam_papers WHERE owner_school_id = ${SCHOOL_OF} AND archived_at IS NULL`;
const SCHOOL_EXAM = `SELECT min(id) FROM exams WHERE owner_school_id = ${SCHOOL_OF} AND released_at IS NULL AND cancelled_at IS NULL`;
/** The cadre's side of an exam: the school's open exam (the whole city sits it) and the cadre's sitting of it (started in beforeAll). */
const OPEN_EXAM = `SELECT min(id) FROM exams WHERE owner_school_id = ${SCHOOL_OF} AND released_at IS NULL AND cancelled_at IS NULL AND EXISTS (SELECT 1 FROM exam_candidates c WHERE c.exam_id = exams.id AND c.user_id = ${user(CADRE)})`;
const CADRE_TALK_DRAFT = `SELECT max(id) FROM outreach_talks WHERE recorded_by = ${user(CADRE)} AND status = 'draft'`;
const LIVE = `SELECT max(live_id) FROM live_players p JOIN live_quizzes q ON q.id = p.live_id WHERE p.user_id = ${user(CADRE)} AND q.phase <> 'finished'`;

/**
 * A real value for every route param, from the seeded database (and the few rows beforeAll
 * creates): a resource the acting role may act on. `:name` refers to a param picked before.
 * A route with a param missing here fails the test, so a new route gets its row.
 */
const PARAMS: Record<string, Record<string, string>> = {
	'/admin/offices/[id]': { id: `SELECT ${LISHI}` },
	'/admin/schools/[id]': { id: 'SELECT min(id) FROM schools' },
	'/admin/users/[id]': { id: `SELECT ${user(CADRE)}` },
	'/author/[id]': { id: AUTHOR_DRAFT },
	'/author/[id]/review': { id: AUTHOR_DRAFT },
	// The lesson and question editors: the never-published draft's lesson, the published module's question.
	'/author/[id]/lessons/new': { id: AUTHOR_DRAFT },
	'/author/[id]/lessons/[key]': {
		id: AUTHOR_DRAFT,
		key: "SELECT json_extract(doc, '$.lessons[0].key') FROM module_drafts WHERE id = :id"
	},
	'/author/[id]/questions': { id: AUTHOR_PUBLISHED },
	'/author/[id]/questions/new': { id: AUTHOR_PUBLISHED },
	'/author/[id]/questions/[key]': {
		id: AUTHOR_PUBLISHED,
		key: "SELECT json_extract(doc, '$.questions[0].key') FROM module_drafts WHERE id = :id"
	},
	// Importing questions: the published module's bank, and an import of it staged in beforeAll.
	'/author/[id]/questions/import': { id: AUTHOR_PUBLISHED },
	'/author/[id]/questions/import/[token]': {
		id: AUTHOR_PUBLISHED,
		token: `SELECT id FROM question_imports WHERE draft_id = :id AND created_by = ${user('dangxiao')} ORDER BY created_at DESC LIMIT 1`
	},
	'/author/[id]/questions/export': { id: AUTHOR_PUBLISHED },
	'/author/[id]/questions/export.[kind]': { id: AUTHOR_PUBLISHED, kind: "SELECT 'csv'" },
	'/author/questions-template.[format]': { format: "SELECT 'csv'" },
	'/author/papers/[id]': { id: SCHOOL_PAPER },
	'/author/exams/[id]': { id: SCHOOL_EXAM },
	'/author/exams/[id]/edit': { id: SCHOOL_EXAM },
	'/author/exams/[id]/candidates': { id: SCHOOL_EXAM },
	'/author/exams/[id]/grading': { id: SCHOOL_EXAM },
	'/author/[id]/versions': { id: AUTHOR_PUBLISHED },
	'/author/[id]/versions/[version]': {
		id: AUTHOR_PUBLISHED,
		version: 'SELECT min(version) FROM module_versions WHERE draft_id = :id'
	},
	'/learn/[module]/[lesson]': {
		module: QUIZ_MODULE,
		lesson:
			'SELECT l.slug FROM lessons l JOIN modules m ON m.id = l.module_id WHERE m.slug = :module AND l.archived_at IS NULL ORDER BY l.sort_order LIMIT 1'
	},
	// 读原文's longest part (600 s to read): the page view just before the watch cannot complete it.
	'/learn/report/[part]': { part: "SELECT '1'" },
	'/live/[id]': { id: LIVE },
	'/office/live/[id]': { id: LIVE },
	'/office/members/[id]/edit': { id: `SELECT ${user(CADRE)}` },
	'/office/members/import/[id]': {
		id: `SELECT id FROM member_imports WHERE created_by = ${user('lishi.admin')} ORDER BY created_at DESC LIMIT 1`
	},
	'/office/study-sessions/[id]': { id: `SELECT min(id) FROM study_sessions WHERE office_id = ${LISHI}` },
	'/exams/[id]': { id: OPEN_EXAM },
	'/exams/attempt/[id]': {
		id: `SELECT max(id) FROM exam_attempts WHERE user_id = ${user(CADRE)} AND submitted_at IS NULL`
	},
	'/quiz/attempt/[id]': {
		id: `SELECT max(id) FROM attempts WHERE user_id = ${user(CADRE)} AND submitted_at IS NULL`
	},
	'/quiz/module/[slug]': { slug: QUIZ_MODULE },
	// Another member's submitted reflection, for the office admin's 点评 and 优秀 (not excellent yet).
	'/reflections/[id]': {
		id: `SELECT min(r.id) FROM reflections r JOIN users u ON u.id = r.user_id WHERE u.office_id = ${LISHI} AND u.role = 'cadre' AND r.status = 'submitted' AND r.excellent = 0`
	},
	// 宣讲: the cadre's own draft (made in beforeAll), which it may edit and delete.
	'/outreach/[id]': { id: CADRE_TALK_DRAFT },
	'/outreach/[id]/edit': { id: CADRE_TALK_DRAFT },
	'/office/outreach/places/[id]': { id: `SELECT min(id) FROM outreach_places WHERE office_id = ${LISHI}` },
	'/school/courses/[id]': {
		id: `SELECT min(id) FROM courses WHERE school_id = (SELECT school_id FROM users WHERE username = 'dangxiao')`
	},
	'/school/courses/[id]/offices/[officeId]': {
		id: `SELECT min(id) FROM courses WHERE school_id = (SELECT school_id FROM users WHERE username = 'dangxiao')`,
		officeId: `SELECT ${LISHI}`
	},
	'/school/quiz/[slug]': { slug: QUIZ_MODULE }
};

/** Per action, where it acts on something else than its page's other actions. */
const ACTION_PARAMS: Record<string, Record<string, string>> = {
	// The cadre's own draft (made in beforeAll): only the author may save it.
	'/reflections/[id]?/save': {
		id: `SELECT max(id) FROM reflections WHERE user_id = ${user(CADRE)} AND status = 'draft'`
	}
};

/**
 * Where a case is a valid request after all, and why: its write is no defect (it must still
 * answer below 500). Keep this short; a value that is garbage for the field belongs in no row.
 */
const VALID_CASES: Record<string, { cases: string[]; why: string }> = {
	// 纪要 is free text that may be emptied: these cases leave it empty once trimmed (or absent).
	'/office/study-sessions/[id]?/minutes': {
		cases: [
			'missing fields',
			'empty fields',
			'letters for numbers',
			'impossible numbers in repeated keys',
			'control characters'
		],
		why: 'emptying the minutes is an edit the form allows'
	},
	'/school/courses/[id]?/remind': {
		cases: ['missing fields'],
		why: 'without an office it is 一键催学, reminding every office'
	}
};

/**
 * Tables that change with no action at all. `sessions`: each sign-in of the setup adds one and
 * use slides its expiry. `rate_limits` (and `login_failures`, its former name): a refused login
 * or guess is counted by design. `backups`: the daily backup's sweeper records the day's backup
 * once BACKUP_TIME has passed (a 立即备份 that got through would write audit_log too). Everything
 * else must stay exactly as it was.
 */
const CHANGING_TABLES = new Set(['sessions', 'rate_limits', 'login_failures', 'backups']);

// ---------------------------------------------------------------------------------------------
// The cases

type Pairs = [string, string][];
interface Body {
	contentType: string;
	body: string;
}

const BIG = '字a'.repeat(50_000);
// Fields that carry numbers or ids: they get letters and impossible numbers, the rest get nothing.
const NUMERIC =
	/(Id|Ids|^id|count|seconds|hours|Hours|position|requirement|retention|sortOrder|draw|passMark|attemptsAllowed|timeLimitMinutes|durationMinutes|extraAttempts|gradingMargin|Points|Page|^round|choice|^tf|^s|^c)$/;

const urlencoded = (pairs: Pairs): Body => ({
	contentType: 'application/x-www-form-urlencoded',
	body: pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
});

function multipart(pairs: Pairs): Body {
	const boundary = '----fuzz7MA4YWxkTrZu0gW';
	const parts = pairs.map(
		([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`
	);
	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		body: parts.join('') + `--${boundary}--\r\n`
	};
}

interface FuzzCase {
	name: string;
	/** Sent as use:enhance does (a JSON action result) or as a plain HTML form. */
	enhanced: boolean;
	/**
	 * Refused before any action runs, so form-less actions get it too. (A form-less action never
	 * reads its body: a broken one is no input to it, and the action runs as for an empty form.)
	 */
	upFront?: boolean;
	build: (fields: string[]) => Body;
}

const CASES: FuzzCase[] = [
	{ name: 'missing fields', enhanced: false, build: () => urlencoded([]) },
	{ name: 'empty fields', enhanced: true, build: (f) => urlencoded(f.map((k) => [k, ''])) },
	{ name: '100k characters', enhanced: false, build: (f) => multipart(f.map((k) => [k, BIG])) },
	{
		name: 'letters for numbers',
		enhanced: true,
		build: (f) => urlencoded(f.filter((k) => NUMERIC.test(k)).map((k) => [k, 'abc']))
	},
	{
		name: 'impossible numbers in repeated keys',
		enhanced: false,
		build: (f) =>
			urlencoded(
				f.flatMap((k): Pairs =>
					NUMERIC.test(k)
						? [
								[k, '-1'],
								[k, '1e999'],
								[k, '0x10'],
								[k, '1.5']
							]
						: [
								[k, ''],
								[k, ' ']
							]
				)
			)
	},
	{
		name: 'control characters',
		enhanced: true,
		build: (f) => urlencoded(f.map((k) => [k, '\u0000\u202e\u2028']))
	},
	{
		name: 'malformed percent-encoding',
		enhanced: false,
		build: (f) => ({
			contentType: 'application/x-www-form-urlencoded',
			body: (f.length ? f : ['x']).map((k, i) => `${k}=${i % 2 ? '%' : '%E0%A4%A'}`).join('&')
		})
	},
	{
		name: 'text/plain body',
		enhanced: true,
		upFront: true,
		build: (f) => ({ contentType: 'text/plain', body: f.map((k) => `${k}=1`).join('\n') })
	},
	{
		name: 'truncated multipart',
		enhanced: false,
		build: (f) => {
			const whole = multipart(f.map((k) => [k, '1']));
			return {
				contentType: whole.contentType,
				body: whole.body.slice(0, Math.max(10, whole.body.length - 30))
			};
		}
	},
	{
		name: 'multipart without boundary',
		enhanced: true,
		build: () => ({ contentType: 'multipart/form-data', body: 'name=1' })
	}
];

// ---------------------------------------------------------------------------------------------

const ROUTES = discoverRoutes();
const ACTIONS = ROUTES.flatMap((route) => route.actions.map((action) => ({ route, action })));
const label = (route: RouteInfo, action: ActionInfo) => route.id + (action.query || ' (default)');

let db: Database.Database;
let watch: TableWatch;
const cookies = new Map<Actor, string>();
const paths = new Map<string, string>();
const unmapped: string[] = [];

/** The enhanced answer's own status: use:enhance gets failures as 200 with `{ type: 'failure', status }`. */
function outcome(reply: Reply): number {
	if (!reply.contentType.includes('application/json')) return reply.status;
	const body = JSON.parse(reply.text) as { type?: string; status?: number };
	return body.type === 'failure' || body.type === 'success' || body.type === 'redirect'
		? (body.status ?? reply.status)
		: reply.status;
}

/**
 * Every refusal has one shape, `{ values, errors }` (src/lib/server/forms.ts), its `errors` a Chinese
 * message per field or `_form` for the whole form: what the page shows beside the field or above it.
 */
function failureShapeProblem(reply: Reply): string | null {
	if (!reply.contentType.includes('application/json')) return null;
	const body = JSON.parse(reply.text) as { type?: string; data?: string };
	if (body.type !== 'failure') return null;
	const data = decodeActionData(body.data ?? 'null') as Record<string, unknown> | null;
	const messages = Object.values((data?.errors ?? {}) as Record<string, unknown>);
	const shaped =
		Object.keys(data ?? {})
			.sort()
			.join(',') === 'errors,values' &&
		messages.length > 0 &&
		messages.every((m) => typeof m === 'string' && CHINESE.test(m));
	return shaped ? null : `refused without { values, errors }: ${JSON.stringify(data).slice(0, 200)}`;
}

function post(path: string, actor: Actor, body: Body, enhanced = false): Promise<Reply> {
	return send(path, {
		method: 'POST',
		cookie: cookies.get(actor),
		headers: {
			'content-type': body.contentType,
			accept: enhanced ? 'application/json' : 'text/html',
			...(enhanced ? { 'x-sveltekit-action': 'true' } : {})
		},
		body: body.body
	});
}

function resolveParams(route: RouteInfo, action?: ActionInfo): Record<string, string> {
	const table = { ...PARAMS[route.id], ...(action ? ACTION_PARAMS[route.id + action.query] : {}) };
	const values: Record<string, string> = {};
	for (const param of route.params) {
		const sql = table[param];
		if (!sql) throw new Error(`${route.id}: no SQL for [${param}] in PARAMS`);
		const named = Object.fromEntries(Object.entries(values).filter(([k]) => sql.includes(`:${k}`)));
		const row = db.prepare(sql).raw().get(named) as unknown[] | undefined;
		if (!row || row[0] === null) throw new Error(`${route.id}: no row for [${param}]: ${sql}`);
		values[param] = String(row[0]);
	}
	return values;
}

/**
 * Attempts still running (quizzes and exams). The app's sweepers close those whose time ran out (every 30 s), which
 * writes several tables: a change that coincides with one closing is the sweeper's, not the case's.
 */
const runningAttempts = () =>
	db
		.prepare(
			'SELECT (SELECT count(*) FROM attempts WHERE submitted_at IS NULL) + (SELECT count(*) FROM exam_attempts WHERE submitted_at IS NULL)'
		)
		.pluck()
		.get() as number;

async function expectRedirect(reply: Promise<Reply>, to: RegExp, what: string): Promise<string> {
	const r = await reply;
	if (r.status !== 303 || !to.test(r.location ?? ''))
		throw new Error(`${what}: ${r.status} ${r.location ?? ''} ${r.text.slice(0, 300)}`);
	return r.location!;
}

/** What the fuzz needs besides the seed: running attempts (quiz, exam), a live question, staged imports, a draft. */
async function createTargets(): Promise<void> {
	const slug = pick(db, QUIZ_MODULE, 'a quiz module');
	await expectRedirect(
		post(`/quiz/module/${slug}?/start`, 'cadre', urlencoded([])),
		/^\/quiz\/attempt\/\d+/,
		'start a module quiz'
	);

	const exam = pick(db, OPEN_EXAM, 'an open exam of the cadre');
	await expectRedirect(
		post(`/exams/${exam}?/start`, 'cadre', urlencoded([])),
		/^\/exams\/attempt\/\d+$/,
		'start an exam'
	);

	const moduleId = pick(db, `SELECT id FROM modules WHERE slug = '${slug}'`, 'module id');
	const hostPage = await expectRedirect(
		post(
			'/office/live',
			'office',
			urlencoded([
				['moduleId', moduleId],
				['count', '3'],
				['seconds', '120']
			])
		),
		/^\/office\/live\/\d+$/,
		'create a live quiz'
	);
	const liveId = hostPage.split('/').pop()!;
	const pin = pick(db, `SELECT pin FROM live_quizzes WHERE id = ${liveId}`, 'live PIN');
	await expectRedirect(
		post('/live', 'cadre', urlencoded([['pin', pin]])),
		/^\/live\/\d+$/,
		'join the live quiz'
	);
	const next = await post(`${hostPage}?/next`, 'office', urlencoded([]));
	if (next.status >= 400) throw new Error(`start the live quiz: ${next.status}`);

	const csv = '姓名,登录名,单位,职务,手机号\n,fuzz.noname,离石区人大常委会,,\n';
	const file = `------fuzzUpload\r\nContent-Disposition: form-data; name="file"; filename="fuzz.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n------fuzzUpload--\r\n`;
	await expectRedirect(
		post('/office/members/import', 'office', {
			contentType: 'multipart/form-data; boundary=----fuzzUpload',
			body: file
		}),
		/^\/office\/members\/import\/\w+$/,
		'stage an import'
	);

	// A staged question import of the school's published module: one question without an answer.
	const published = pick(db, AUTHOR_PUBLISHED, 'a published module of the school');
	await expectRedirect(
		post(
			`/author/${published}/questions/import?/stage`,
			'school',
			urlencoded([
				['text', '1. 没有答案的题目（　）\nA. 甲\nB. 乙'],
				['format', 'auto']
			])
		),
		/^\/author\/\d+\/questions\/import\/[a-z2-7]{24}$/,
		'stage a question import'
	);

	const topic = `module:${moduleId}`;
	await expectRedirect(
		post(
			'/reflections/new',
			'cadre',
			urlencoded([
				['title', '模糊测试草稿'],
				['body', '草稿正文。'],
				['topic', topic],
				['intent', 'draft']
			])
		),
		/^\/reflections\/\d+/,
		'save a draft reflection'
	);

	// A 宣讲 draft of the cadre (the talk form without photos may come urlencoded).
	await expectRedirect(
		post(
			'/outreach/new',
			'cadre',
			urlencoded([
				['summary', '模糊测试宣讲草稿'],
				['intent', 'draft']
			])
		),
		/^\/outreach\/\d+\?saved=1$/,
		'save a draft talk'
	);
}

beforeAll(async () => {
	db = readDb();
	for (const [actor, username] of Object.entries(ACCOUNTS))
		cookies.set(actor as Actor, await signIn(username));
	await createTargets();
	for (const { route, action } of ACTIONS) {
		try {
			paths.set(label(route, action), fill(route.id, resolveParams(route, action)) + action.query);
		} catch (e) {
			unmapped.push((e as Error).message);
		}
	}
	// A page's first view may write (a lesson's opening time): done before the watch starts.
	for (const { route, action } of ACTIONS) {
		const path = paths.get(label(route, action));
		if (path) await send(path.replace(/\?.*$/, ''), { cookie: cookies.get(actorFor(route.id, action)) });
	}
	watch = new TableWatch(db, CHANGING_TABLES);
}, 120_000);

/** Leaves no running quiz or attempt behind for the test files after this one. */
afterAll(async () => {
	const live = paths.get('/office/live/[id]?/finish');
	if (live) await post(live, 'office', urlencoded([]));
	const attempt = paths.get('/quiz/attempt/[id]?/submit');
	if (attempt) await post(attempt, 'cadre', urlencoded([]));
	const sitting = paths.get('/exams/attempt/[id]?/submit');
	if (sitting) await post(sitting, 'cadre', urlencoded([]));
	db?.close();
});

describe('form actions found on disk', () => {
	it('finds every action, and a real id for every param of their routes', () => {
		expect(ACTIONS.map(({ route, action }) => label(route, action))).toEqual(
			expect.arrayContaining([
				'/login (default)',
				'/office/members?/deactivate',
				'/quiz/attempt/[id]?/answer',
				'/school/courses/[id]?/assign'
			])
		);
		expect(ACTIONS.length).toBeGreaterThanOrEqual(45);
		expect(unmapped).toEqual([]);
	});
});

describe('garbage posted to every form action: no 5xx, a Chinese refusal as { values, errors }, nothing written', () => {
	for (const { route, action } of ACTIONS) {
		it(label(route, action), async () => {
			const path = paths.get(label(route, action));
			expect(path, `no params for ${route.id}: ${unmapped.join('; ')}`).toBeDefined();
			const actor = actorFor(route.id, action);
			const cases = CASES.filter((c) => action.readsForm || c.upFront);
			const problems: string[] = [];
			for (const fuzz of cases) {
				const running = runningAttempts();
				const reply = await post(path!, actor, fuzz.build(route.fields), fuzz.enhanced);
				const status = outcome(reply);
				const what = `${fuzz.name} (${fuzz.enhanced ? 'enhanced' : 'plain'}) → ${reply.status}${status !== reply.status ? `/${status}` : ''}`;
				if (reply.status >= 500 || status >= 500) problems.push(`${what}: ${reply.text.slice(0, 200)}`);
				else if (status >= 400 && (!CHINESE.test(reply.text) || reply.text.includes('服务器出了点问题')))
					problems.push(`${what}: no Chinese message: ${reply.text.slice(0, 200)}`);
				const shape = failureShapeProblem(reply);
				if (shape) problems.push(`${what}: ${shape}`);
				if (reply.status === 303 && /\/login/.test(reply.location ?? ''))
					problems.push(`${what}: sent to login (the actor's session is gone)`);
				const changed = watch.changes();
				const valid = VALID_CASES[label(route, action)]?.cases.includes(fuzz.name);
				const swept = runningAttempts() < running;
				if (changed.length && !valid && !swept) problems.push(`${what}: wrote ${changed.join(', ')}`);
			}
			expect(problems).toEqual([]);
		});
	}
});

describe("SvelteKit's own refusals are Chinese too", () => {
	it('unknown and reserved action names, pages without actions, bodies that are no form', async () => {
		const form = urlencoded([['userId', '1']]);
		const probes: [string, Body, number[]][] = [
			['/office/members?/nope', form, [404]],
			['/office/members?/constructor', form, [404]],
			['/office/members?/__proto__', form, [404]],
			['/login?/default', form, [404]],
			['/rules', form, [405]],
			['/office/members?/deactivate', { contentType: 'application/json', body: '{"userId":1}' }, [415]]
		];
		const problems: string[] = [];
		for (const [path, body, expected] of probes) {
			for (const enhanced of [false, true]) {
				const reply = await post(
					path,
					path.startsWith('/login') ? 'anonymous' : path === '/rules' ? 'cadre' : 'office',
					body,
					enhanced
				);
				const ok =
					expected.includes(reply.status) &&
					CHINESE.test(reply.text) &&
					!reply.text.includes('服务器出了点问题');
				if (!ok)
					problems.push(
						`${path} (${enhanced ? 'enhanced' : 'plain'}): ${reply.status} ${reply.text.slice(0, 160)}`
					);
			}
		}
		expect(problems).toEqual([]);
		expect(watch.changes()).toEqual([]);
	});

	it('a path that cannot be decoded, for anyone: a Chinese 400, and the worker lives on', async () => {
		// Signed out, the login redirect for such a path used to end the worker process.
		const problems: string[] = [];
		for (const path of [
			'/learn/%E0%A4%A',
			'/%E0%A4%A',
			'/admin/users/%E0%A4%A',
			'/office/study-sessions/%E0',
			'/login/%E0%A4%A'
		]) {
			for (const actor of ['anonymous', 'cadre'] as const) {
				for (const method of ['GET', 'POST']) {
					const reply = await send(path, {
						method,
						cookie: cookies.get(actor),
						...(method === 'POST'
							? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }
							: {})
					});
					if (reply.status !== 400 || !CHINESE.test(reply.text))
						problems.push(`${actor} ${method} ${path}: ${reply.status} ${reply.text.slice(0, 120)}`);
				}
			}
		}
		expect(problems).toEqual([]);
		expect((await send('/healthz')).status).toBe(200);
	});

	it('malformed ids and slugs in every dynamic page and endpoint: a Chinese 4xx, never a 5xx', async () => {
		const bad = [
			'abc',
			'-1',
			'0',
			'1.5',
			'1e999',
			'99999999999999999999',
			'%00',
			'%E0%A4%A',
			'%E2%80%AE',
			'x'.repeat(2000)
		];
		const problems: string[] = [];
		for (const route of ROUTES.filter((r) => r.params.length)) {
			const actor: Actor = route.id.startsWith('/admin')
				? 'sysadmin'
				: route.id.startsWith('/office')
					? 'office'
					: route.id.startsWith('/school')
						? 'school'
						: 'cadre';
			for (const value of bad) {
				const path = route.id.replace(/\[[^\]]+\]/g, value);
				const reply = await send(path, { cookie: cookies.get(actor) });
				if (reply.status >= 500 || (reply.status >= 400 && !CHINESE.test(reply.text)))
					problems.push(`${path.slice(0, 80)}: ${reply.status} ${reply.text.slice(0, 120)}`);
			}
		}
		expect(problems).toEqual([]);
	});
});
