import { inject } from 'vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { appDatabase, baseURL, get, loginCookie, post } from './http';
import { row } from './pages';
import { createExamFixture, releaseFixture, type ExamFixture } from './exam-fixture';

/**
 * A candidate cannot learn a key or beat the clock (issue #17): before results are released no
 * exam page, data response or action reply carries an answer key, a 简答's reference answer or
 * rubric, or an explanation; saves after the deadline plus grace are refused and the attempt is
 * closed with what was saved; another candidate's attempt is as missing as none; the page's
 * leave reports count only from this site's pages and only while the attempt runs.
 * quiz-integrity.test.ts does the same for module quizzes.
 */

/** 临县 cadres: no other test file signs in as them. */
let candidates: string[] = [];
/** The exam whose results the first test releases; the other tests sit the second one. */
let released: ExamFixture;
let fx: ExamFixture;

interface Snapshot {
	type: string;
	stem: string;
	options: string[];
	answer: unknown;
	explanation: string;
}

function items(attemptId: number): { position: number; snapshot: Snapshot }[] {
	const db = appDatabase();
	try {
		const rows = db
			.prepare('SELECT position, snapshot FROM exam_attempt_items WHERE attempt_id = ? ORDER BY position')
			.all(attemptId) as { position: number; snapshot: string }[];
		return rows.map((r) => ({ position: r.position, snapshot: JSON.parse(r.snapshot) as Snapshot }));
	} finally {
		db.close();
	}
}

/** Starts (or resumes) the exam over HTTP as a browser without JavaScript would: the attempt's id. */
async function start(cookie: string, examId: number): Promise<number> {
	const res = await post(`/exams/${examId}?/start`, {}, cookie);
	expect(res.status).toBe(303);
	const id = Number(/^\/exams\/attempt\/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1]);
	expect(id).toBeGreaterThan(0);
	return id;
}

/** Every text of a key that must not reach the browser before release. */
function secretsOf(list: { snapshot: Snapshot }[]): string[] {
	const out: string[] = [];
	for (const { snapshot } of list) {
		if (snapshot.explanation) out.push(snapshot.explanation);
		if (snapshot.type === 'essay') {
			const key = snapshot.answer as { reference: string; rubric: { point: string }[] };
			out.push(key.reference, ...key.rubric.map((r) => r.point));
		}
	}
	return out;
}

function expectNoKey(path: string, body: string, secrets: string[]): void {
	for (const secret of secrets)
		expect(body.includes(secret), `${path} leaks “${secret.slice(0, 30)}”`).toBe(false);
	// Field names of a key in JSON (data responses, action replies) or in the page's inline data.
	expect(body, path).not.toMatch(
		/"(answer|explanation|reference|rubric|correct|answerText|objectiveScore)"\s*:/
	);
	expect(body, path).not.toMatch(/[{,](answer|explanation|reference|rubric|answerText|objectiveScore):/);
	expect(body, path).not.toMatch(/正确答案|参考答案|采分点|解析：/);
}

function attemptRow(id: number): {
	submitted_at: number | null;
	auto_submitted: number;
	leave_count: number;
	answered: number;
} {
	return row(
		`SELECT submitted_at, auto_submitted, leave_count,
		 (SELECT count(*) FROM exam_attempt_items WHERE attempt_id = a.id AND response IS NOT NULL) AS answered
		 FROM exam_attempts a WHERE id = ?`,
		id
	);
}

function setDeadline(attemptId: number, at: number): void {
	const db = appDatabase();
	try {
		db.prepare('UPDATE exam_attempts SET deadline = ? WHERE id = ?').run(at, attemptId);
	} finally {
		db.close();
	}
}

/** An answer for the question as the form would send it (right or not does not matter here). */
function answerFields(position: number, s: Snapshot, go = 'next'): URLSearchParams {
	const body = new URLSearchParams({ position: String(position), go });
	if (s.type === 'single') body.set('choice', '0');
	if (s.type === 'multiple') body.append('choice', '0');
	if (s.type === 'truefalse') body.set('tf', 'true');
	if (s.type === 'fill')
		for (let i = 0; i < (s.stem.match(/____/g)?.length ?? 1); i++) body.append('blank', '答');
	if (s.type === 'essay') body.set('essay', '人大代表要密切联系群众，依法履职。');
	return body;
}

async function postAnswer(cookie: string, attemptId: number, body: URLSearchParams): Promise<Response> {
	return fetch(`${baseURL()}/exams/attempt/${attemptId}?/answer`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseURL(), cookie },
		body
	});
}

beforeAll(() => {
	candidates = (
		appDatabase()
			.prepare(
				`SELECT username FROM users WHERE office_id = (SELECT id FROM offices WHERE code = 'linxian')
				 AND role = 'cadre' AND active = 1 AND must_change_password = 0 ORDER BY username LIMIT 4`
			)
			.pluck()
			.all() as string[]
	).slice(0, 4);
	expect(candidates).toHaveLength(4);
	released = createExamFixture(inject('databasePath'), {
		title: '防泄露测试考试',
		candidates: [candidates[0]!]
	});
	fx = createExamFixture(inject('databasePath'), { title: '计时与权限测试考试', candidates });
});

describe('keys stay on the server until results are released', () => {
	it('no exam page, data response or action reply before release carries a key, reference answer, rubric or explanation', async () => {
		const cookie = await loginCookie(candidates[0]!);
		const id = await start(cookie, released.examId);
		const list = items(id);
		expect(list.some((i) => i.snapshot.type === 'essay')).toBe(true);
		const secrets = secretsOf(list);
		expect(secrets.length).toBeGreaterThan(2);
		const running = [
			...list.flatMap((i) => [
				`/exams/attempt/${id}?q=${i.position}`,
				`/exams/attempt/${id}/__data.json?q=${i.position}`
			]),
			`/exams/attempt/${id}?confirm`,
			`/exams/attempt/${id}/__data.json?confirm`
		];
		const pages = [
			'/exams',
			'/exams/__data.json',
			`/exams/${released.examId}`,
			`/exams/${released.examId}/__data.json`,
			`/exams/${released.examId}/result`,
			`/exams/${released.examId}/result/__data.json`,
			'/',
			'/__data.json',
			'/tasks',
			'/tasks/__data.json'
		];
		const bodies: [string, string][] = [];
		// Every answer saved through the action, its replies (plain and enhanced) checked too.
		for (const { position, snapshot } of list) {
			const plain = await postAnswer(cookie, id, answerFields(position, snapshot));
			expect(plain.status, `answer ${position}`).toBe(303);
			bodies.push([`answer ${position}`, await plain.text()]);
		}
		const enhanced = await fetch(`${baseURL()}/exams/attempt/${id}?/answer`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: baseURL(),
				cookie,
				'x-sveltekit-action': 'true'
			},
			body: answerFields(1, list[0]!.snapshot, 'stay')
		});
		bodies.push(['enhanced answer', await enhanced.text()]);
		for (const path of [...running, ...pages]) {
			const res = await get(path, cookie);
			expect([200, 303], path).toContain(res.status);
			bodies.push([path, await res.text()]);
		}
		// Handed in, still before release: the pages say so, and still carry nothing of the key or the score.
		const submitted = await post(`/exams/attempt/${id}?/submit`, {}, cookie);
		expect(submitted.status).toBe(303);
		expect(submitted.headers.get('location')).toBe(`/exams/${released.examId}?submitted`);
		for (const path of [...pages, `/exams/attempt/${id}`, `/exams/attempt/${id}/__data.json`]) {
			const res = await get(path, cookie);
			expect([200, 303], path).toContain(res.status);
			bodies.push([`${path} (submitted)`, await res.text()]);
		}
		for (const [path, body] of bodies) expectNoKey(path, body, secrets);
		const examPage = await (await get(`/exams/${released.examId}`, cookie)).text();
		expect(examPage).toContain('已交卷，待公布');

		// Released: the review shows the key, the reference answer, the rubric and the explanations.
		releaseFixture(inject('databasePath'), released.examId);
		const result = await (await get(`/exams/${released.examId}/result`, cookie)).text();
		expect(result).toContain('参考答案');
		expect(result).toContain('采分点');
		expect(result).toContain('正确答案');
		for (const secret of secrets)
			expect(result).toContain(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
		expect(result).toContain('要点齐全，联系实际（夹具评语）。');
	});
});

describe('the clock and the owner', () => {
	it('a save after the deadline plus grace is refused and the attempt closed with what was saved; within the grace it is taken', async () => {
		const cookie = await loginCookie(candidates[1]!);
		const id = await start(cookie, fx.examId);
		const list = items(id);
		// Within the grace (the deadline passed 5 s ago): the answer is still taken.
		setDeadline(id, Date.now() - 5_000);
		const inGrace = await postAnswer(cookie, id, answerFields(1, list[0]!.snapshot, 'stay'));
		expect(inGrace.status).toBe(303);
		expect(inGrace.headers.get('location')).toBe(`/exams/attempt/${id}?q=1`);
		expect(attemptRow(id).answered).toBe(1);
		// Past the grace: refused, closed at its deadline by the system with the one saved answer.
		setDeadline(id, Date.now() - 61_000);
		const late = await postAnswer(cookie, id, answerFields(2, list[1]!.snapshot, 'stay'));
		expect(late.status).toBe(303);
		expect(late.headers.get('location')).toBe(`/exams/${fx.examId}?late`);
		const after = attemptRow(id);
		expect(after.submitted_at).not.toBeNull();
		expect(after.auto_submitted).toBe(1);
		expect(after.answered).toBe(1);
		// Enhanced, later still: the same refusal, nothing more saved.
		const again = await fetch(`${baseURL()}/exams/attempt/${id}?/answer`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: baseURL(),
				cookie,
				'x-sveltekit-action': 'true'
			},
			body: answerFields(3, list[2]!.snapshot, 'stay')
		});
		expect(await again.json()).toMatchObject({ type: 'redirect', location: `/exams/${fx.examId}?late` });
		expect(attemptRow(id).answered).toBe(1);
		// The page of the closed attempt sends them to the exam, which says the time ran out.
		const page = await get(`/exams/attempt/${id}`, cookie);
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toBe(`/exams/${fx.examId}?late`);
		expect(await (await get(`/exams/${fx.examId}?late`, cookie)).text()).toContain('考试时间已到');
	});

	it("another candidate's attempt is refused: page, data, actions and leave reports all answer 404", async () => {
		const owner = await loginCookie(candidates[2]!);
		const intruder = await loginCookie(candidates[3]!);
		const id = await start(owner, fx.examId);
		expect((await get(`/exams/attempt/${id}`, intruder)).status).toBe(404);
		const data = await (await get(`/exams/attempt/${id}/__data.json`, intruder)).text();
		expect(data).toContain('"status":404');
		expect(data).not.toContain('stem');
		const first = items(id)[0]!;
		expect((await postAnswer(intruder, id, answerFields(1, first.snapshot))).status).toBe(404);
		expect((await post(`/exams/attempt/${id}?/submit`, {}, intruder)).status).toBe(404);
		const leave = await fetch(`${baseURL()}/exams/attempt/${id}/leave`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: baseURL(), cookie: intruder },
			body: '{}'
		});
		expect(leave.status).toBe(404);
		expect((await leave.json()).message).toMatch(/没有找到/);
		expect(attemptRow(id)).toMatchObject({ submitted_at: null, answered: 0, leave_count: 0 });
		// Someone not on the exam's list sees no exam at all.
		expect((await get(`/exams/${fx.examId}`, await loginCookie('lishi.cadre'))).status).toBe(404);
	});

	it('leave reports count only from this site’s pages, only while the attempt runs', async () => {
		const cookie = await loginCookie(candidates[2]!);
		const id = await start(cookie, fx.examId); // resumed
		const leave = (headers: Record<string, string>, body = '{}') =>
			fetch(`${baseURL()}/exams/attempt/${id}/leave`, {
				method: 'POST',
				headers: { cookie, ...headers },
				body
			});
		const json = { 'content-type': 'application/json' };
		const own = await leave({ ...json, origin: baseURL(), 'sec-fetch-site': 'same-origin' });
		expect(own.status).toBe(200);
		expect(await own.json()).toEqual({ counted: true });
		const form = await leave(
			{ 'content-type': 'application/x-www-form-urlencoded', origin: baseURL() },
			'left=1'
		);
		expect(await form.json()).toEqual({ counted: true });
		expect(attemptRow(id).leave_count).toBe(2);
		// Another site's page (or a script without an origin) is refused, and counts nothing.
		const foreign = await leave({ ...json, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
		expect(foreign.status).toBe(403);
		expect((await leave(json)).status).toBe(403);
		expect((await leave({ 'content-type': 'text/plain', origin: baseURL() }, 'x')).status).toBe(415);
		expect(attemptRow(id).leave_count).toBe(2);
		// Handed in: reports are answered but no longer counted.
		await post(`/exams/attempt/${id}?/submit`, {}, cookie);
		const late = await leave({ ...json, origin: baseURL() });
		expect(await late.json()).toEqual({ counted: false });
		expect(attemptRow(id).leave_count).toBe(2);
	});

	it('a 简答 longer than its limit is refused beside the question, not cut, and nothing is saved', async () => {
		const cookie = await loginCookie(candidates[3]!);
		const id = await start(cookie, fx.examId);
		const essay = items(id).find((i) => i.snapshot.type === 'essay')!;
		const limit = (essay.snapshot.answer as { maxLength: number }).maxLength;
		const body = new URLSearchParams({
			position: String(essay.position),
			go: 'stay',
			essay: '字'.repeat(limit + 1)
		});
		const res = await fetch(`${baseURL()}/exams/attempt/${id}?/answer`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: baseURL(),
				cookie,
				'x-sveltekit-action': 'true'
			},
			body
		});
		const reply = (await res.json()) as { type: string; status: number; data: string };
		expect(reply).toMatchObject({ type: 'failure', status: 400 });
		expect(reply.data).toContain(`不能超过 ${limit} 个字`);
		expect(attemptRow(id).answered).toBe(0);
		body.set('essay', '字'.repeat(limit));
		expect((await postAnswer(cookie, id, body)).status).toBe(303);
		expect(
			row<{ response: string }>(
				'SELECT response FROM exam_attempt_items WHERE attempt_id = ? AND position = ?',
				id,
				essay.position
			).response
		).toBe(JSON.stringify('字'.repeat(limit)));
		await post(`/exams/attempt/${id}?/submit`, {}, cookie);
	});
});
