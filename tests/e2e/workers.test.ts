// The app runs as one process per core (scripts/serve.js). A live quiz's event streams are
// spread over the processes; a change made through any of them must reach all streams.
import { describe, expect, it } from 'vitest';
import { appDatabase, baseURL, loginCookie, post } from './http';

/** An open event stream: its events as they arrive, and a way to close it. */
function openStream(path: string, cookie: string) {
	const controller = new AbortController();
	const events: { players: number }[] = [];
	const waiters: (() => void)[] = [];
	const reading = (async () => {
		const res = await fetch(baseURL() + path, { headers: { cookie }, signal: controller.signal });
		const reader = res.body!.getReader();
		let buffer = '';
		for (;;) {
			const { value, done } = await reader.read();
			if (done) return;
			buffer += new TextDecoder().decode(value);
			let end: number;
			while ((end = buffer.indexOf('\n\n')) >= 0) {
				const chunk = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				if (chunk.startsWith('data: ')) {
					events.push(JSON.parse(chunk.slice(6)));
					waiters.splice(0).forEach((w) => w());
				}
			}
		}
	})().catch(() => {});
	const until = async (test: () => boolean) => {
		while (!test()) await new Promise<void>((r) => waiters.push(r));
	};
	return { events, until, close: () => (controller.abort(), reading) };
}

describe('several app processes', () => {
	it('a player joining through one process updates the host screens held by every process', async () => {
		const host = await loginCookie('lishi.admin');
		const db = appDatabase();
		const moduleId = (
			db.prepare('SELECT id FROM modules WHERE archived_at IS NULL ORDER BY id LIMIT 1').get() as {
				id: number;
			}
		).id;
		const created = await post(
			'/office/live',
			{ moduleId: String(moduleId), count: '2', seconds: '30' },
			host
		);
		expect(created.status).toBe(303);
		const liveId = Number(/\/office\/live\/(\d+)$/.exec(created.headers.get('location') ?? '')![1]);
		const { pin } = db.prepare('SELECT pin FROM live_quizzes WHERE id = ?').get(liveId) as { pin: string };
		db.close();

		// Each stream holds its own connection; the primary hands each to the worker with the fewest.
		const streams = Array.from({ length: 6 }, () => openStream(`/live/${liveId}/events`, host));
		await Promise.all(streams.map((s) => s.until(() => s.events.length >= 1)));
		expect(streams.map((s) => s.events[0]!.players)).toEqual([0, 0, 0, 0, 0, 0]);

		const joined = await post('/live', { pin }, await loginCookie('lishi.cadre'));
		expect(joined.status).toBe(303);
		const reached = Promise.all(streams.map((s) => s.until(() => s.events.some((e) => e.players === 1))));
		const timeout = new Promise((_, reject) =>
			setTimeout(() => reject(new Error('a stream never saw the new player')), 5_000)
		);
		await Promise.race([reached, timeout]);
		expect(streams.map((s) => s.events.at(-1)!.players)).toEqual([1, 1, 1, 1, 1, 1]);
		await Promise.all(streams.map((s) => s.close()));
	});
});
