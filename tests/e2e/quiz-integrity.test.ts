import { describe, expect, it } from 'vitest';
import { appDatabase, baseURL, get, loginCookie, post } from './http';

/** Starts a module quiz for a user over HTTP and returns its id. */
async function startQuiz(cookie: string, slug: string): Promise<number> {
	const res = await post(`/quiz/module/${slug}?/start`, {}, cookie);
	expect(res.status).toBe(303);
	const id = Number(/\/quiz\/attempt\/(\d+)/.exec(res.headers.get('location') ?? '')?.[1]);
	expect(id).toBeGreaterThan(0);
	return id;
}

function snapshots(attemptId: number): {
	position: number;
	snapshot: { type: string; answer: unknown; explanation: string; options: string[] };
}[] {
	const db = appDatabase();
	const rows = db
		.prepare('SELECT position, snapshot FROM attempt_items WHERE attempt_id = ? ORDER BY position')
		.all(attemptId) as { position: number; snapshot: string }[];
	db.close();
	return rows.map((r) => ({ position: r.position, snapshot: JSON.parse(r.snapshot) }));
}

function quizAwards(username: string, moduleSlug: string): { rule: string; points: number }[] {
	const db = appDatabase();
	const rows = db
		.prepare(
			`SELECT rule, points FROM points_ledger p JOIN users u ON u.id = p.user_id
			 WHERE u.username = ? AND p.idempotency_key IN ('quiz-pass:' || u.id || ':' || (SELECT id FROM modules WHERE slug = ?),
			 'quiz-perfect:' || u.id || ':' || (SELECT id FROM modules WHERE slug = ?)) ORDER BY p.id`
		)
		.all(username, moduleSlug, moduleSlug) as { rule: string; points: number }[];
	db.close();
	return rows;
}

describe('answers stay on the server until the attempt is submitted', () => {
	it('no page or data response of a running attempt contains an answer key, correct flag or explanation', async () => {
		const cookie = await loginCookie('wenshui.003');
		const id = await startQuiz(cookie, 'rule-of-law');
		const items = snapshots(id);
		const paths = [
			...items.flatMap((i) => [
				`/quiz/attempt/${id}?q=${i.position}`,
				`/quiz/attempt/${id}/__data.json?q=${i.position}`
			]),
			`/quiz/attempt/${id}?confirm`,
			`/quiz/attempt/${id}/__data.json?confirm`,
			`/quiz/attempt/${id}/result`,
			'/quiz',
			'/quiz/__data.json',
			'/quiz/module/rule-of-law',
			'/quiz/module/rule-of-law/__data.json',
			'/quiz/history',
			'/quiz/book',
			'/'
		];
		// Save an answer midway too: the action's reply must not leak either.
		const saved = await post(
			`/quiz/attempt/${id}?/answer`,
			{ position: '1', choice: '0', tf: 'true', blank: 'x', go: 'next' },
			cookie
		);
		expect([303, 400]).toContain(saved.status);
		const bodies: [string, string][] = [['answer action', await saved.text()]];
		for (const path of paths) {
			const res = await get(path, cookie);
			expect([200, 303], path).toContain(res.status);
			bodies.push([path, await res.text()]);
		}
		for (const [path, body] of bodies) {
			for (const { snapshot } of items) {
				expect(body.includes(snapshot.explanation), `${path} leaks an explanation`).toBe(false);
			}
			expect(body, path).not.toMatch(/"(answer|explanation|correct|correctAnswer)"\s*:/);
			expect(body, path).not.toMatch(/正确答案|解析：/);
		}
		// After submission the review shows them.
		await post(`/quiz/attempt/${id}?/submit`, {}, cookie);
		const result = await (await get(`/quiz/attempt/${id}/result`, cookie)).text();
		expect(result).toContain('正确答案');
		expect(result).toContain(items[0]!.snapshot.explanation);
	});

	it("another user's attempt is refused: page, data and actions all answer 404", async () => {
		const owner = await loginCookie('wenshui.004');
		const intruder = await loginCookie('wenshui.005');
		const id = await startQuiz(owner, 'education');
		expect((await get(`/quiz/attempt/${id}`, intruder)).status).toBe(404);
		// SvelteKit's data endpoint answers 200 with an error node carrying the 404.
		const data = await (await get(`/quiz/attempt/${id}/__data.json`, intruder)).text();
		expect(data).toContain('"type":"error"');
		expect(data).toContain('"status":404');
		expect(data).not.toContain('stem');
		expect((await get(`/quiz/attempt/${id}/result`, intruder)).status).toBe(404);
		expect(
			(await post(`/quiz/attempt/${id}?/answer`, { position: '1', choice: '0', go: 'next' }, intruder)).status
		).toBe(404);
		expect((await post(`/quiz/attempt/${id}?/submit`, {}, intruder)).status).toBe(404);
		const db = appDatabase();
		const row = db
			.prepare(
				'SELECT submitted_at, (SELECT count(*) FROM attempt_items WHERE attempt_id = ? AND response IS NOT NULL) AS answered FROM attempts WHERE id = ?'
			)
			.get(id, id) as { submitted_at: number | null; answered: number };
		db.close();
		expect(row).toEqual({ submitted_at: null, answered: 0 });
	});

	it('five simultaneous submissions give one result and one award', async () => {
		// A cadre who has never taken the quiz of this module.
		const db = appDatabase();
		const { username } = db
			.prepare(
				`SELECT username FROM users WHERE username LIKE 'zhongyang.%' AND id NOT IN
				 (SELECT user_id FROM attempts WHERE module_id = (SELECT id FROM modules WHERE slug = 'healthy-china')) LIMIT 1`
			)
			.get() as { username: string };
		db.close();
		const cookie = await loginCookie(username);
		const id = await startQuiz(cookie, 'healthy-china');
		// Answer everything right, as the owner, through the answer action.
		for (const { position, snapshot } of snapshots(id)) {
			const fields: Record<string, string> = { position: String(position), go: 'stay' };
			if (snapshot.type === 'single') fields.choice = String(snapshot.answer);
			if (snapshot.type === 'truefalse') fields.tf = String(snapshot.answer);
			const body = new URLSearchParams(fields);
			if (snapshot.type === 'multiple')
				for (const c of snapshot.answer as number[]) body.append('choice', String(c));
			if (snapshot.type === 'fill')
				for (const accepted of snapshot.answer as string[][]) body.append('blank', accepted[0]!);
			const res = await fetch(`${baseURL()}/quiz/attempt/${id}?/answer`, {
				method: 'POST',
				redirect: 'manual',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseURL(), cookie },
				body
			});
			expect(res.status).toBe(303);
		}
		const results = await Promise.all(
			Array.from({ length: 5 }, () => post(`/quiz/attempt/${id}?/submit`, {}, cookie))
		);
		expect(results.every((r) => r.status === 303)).toBe(true);
		expect(quizAwards(username, 'healthy-china')).toEqual([
			{ rule: 'quiz_first_pass', points: 5 },
			{ rule: 'quiz_perfect', points: 2 }
		]);
		const page = await (await get(`/quiz/attempt/${id}/result`, cookie)).text();
		expect(page).toContain('100');
	});
});
