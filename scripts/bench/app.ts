// Talking to the real app as a JavaScript-less browser would: log in, start a module quiz.
import { cookieFrom, post, type Target } from './http';

/** POST /login; returns the Cookie header value (`session=<token>`) for later requests. */
export async function logIn(t: Target, username: string, password: string): Promise<string> {
	const reply = await post(t, '/login', new URLSearchParams({ username, password }).toString());
	const token = cookieFrom(reply, 'session');
	if (reply.status !== 303 || !token)
		throw new Error(`login of ${username} failed: ${reply.status} ${reply.body.slice(0, 200)}`);
	return `session=${token}`;
}

/** POST /quiz/module/<slug>?/start; returns the id of the started (or resumed) attempt. */
export async function startModuleQuiz(t: Target, cookie: string, slug: string): Promise<number> {
	const reply = await post(t, `/quiz/module/${slug}?/start`, '', { cookie });
	const match = /^\/quiz\/attempt\/(\d+)$/.exec(String(reply.headers.location ?? ''));
	if (reply.status !== 303 || !match)
		throw new Error(`starting the ${slug} quiz failed: ${reply.status} ${reply.body.slice(0, 200)}`);
	return Number(match[1]);
}

/** Runs `task` over `items` with at most `limit` in flight (logins are argon2-bound). */
export async function inBatches<T, R>(
	items: T[],
	limit: number,
	task: (item: T, index: number) => Promise<R>
): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	async function lane(): Promise<void> {
		while (next < items.length) {
			const i = next++;
			results[i] = await task(items[i]!, i);
		}
	}
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
	return results;
}
