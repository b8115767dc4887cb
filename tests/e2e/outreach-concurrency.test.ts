import { describe, expect, it } from 'vitest';
import { baseURL, loginCookie } from './http';
import { row } from './pages';

/**
 * A talk pays its speakers once, however often it is submitted at the same moment: a double tap
 * on 提交, or the phone resending on a bad line. The submissions reach both worker processes of
 * the running app at once; only the one that moves the draft to submitted may pay.
 */

/** Seeded cadres of 汾阳市 no other test signs in as. */
const RECORDER = 'fenyang.006';
const COLLEAGUE = 'fenyang.007';
const SUBMISSIONS = 8;

function shanghaiDay(): string {
	return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

function talkForm(fields: Record<string, string | string[]>): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields))
		for (const one of Array.isArray(value) ? value : [value]) form.append(name, one);
	return form;
}

async function postForm(path: string, form: FormData, cookie: string): Promise<Response> {
	return fetch(baseURL() + path, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: baseURL(), cookie },
		body: form
	});
}

describe('submitting one talk many times at once', () => {
	it('submits it once and pays each speaker once; no submission fails with a server error', async () => {
		const userId = (username: string) =>
			row<{ id: number }>('SELECT id FROM users WHERE username = ?', username).id;
		const speakers = [userId(RECORDER), userId(COLLEAGUE)];
		const place = row<{ id: number }>(
			`SELECT p.id FROM outreach_places p JOIN offices o ON o.id = p.office_id
			WHERE o.code = 'fenyang' AND p.active = 1 ORDER BY p.id LIMIT 1`
		).id;
		const fields = {
			date: shanghaiDay(),
			time: '10:00',
			placeId: String(place),
			speakers: speakers.map(String),
			topics: ['p:3'],
			audience: '80',
			format: 'forum',
			summary:
				'在社区议事厅与居民座谈，结合报告中关于全过程人民民主的论述，讲解人大代表联系群众的渠道，收集到关于停车难和加装电梯的意见建议五条，已登记转交。'
		};
		const cookie = await loginCookie(RECORDER);
		const draft = await postForm('/outreach/new', talkForm({ ...fields, intent: 'draft' }), cookie);
		expect(draft.status).toBe(303);
		const talkId = Number(/\/outreach\/(\d+)/.exec(draft.headers.get('location') ?? '')?.[1]);
		expect(talkId).toBeGreaterThan(0);

		const answers = await Promise.all(
			Array.from({ length: SUBMISSIONS }, () =>
				postForm(`/outreach/${talkId}/edit`, talkForm({ ...fields, intent: 'submit' }), cookie)
			)
		);
		for (const answer of answers) expect(answer.status).toBeLessThan(500);
		expect(answers.filter((a) => a.status === 303).length).toBeGreaterThan(0);

		expect(row<{ status: string }>('SELECT status FROM outreach_talks WHERE id = ?', talkId).status).toBe(
			'submitted'
		);
		const paid = (speaker: number) =>
			row<{ n: number; points: number }>(
				`SELECT count(*) AS n, coalesce(sum(points), 0) AS points FROM points_ledger
				WHERE rule = 'outreach_talk' AND idempotency_key = ?`,
				`outreach:${talkId}:${speaker}`
			);
		for (const speaker of speakers) expect(paid(speaker)).toEqual({ n: 1, points: 3 });
	});
});
