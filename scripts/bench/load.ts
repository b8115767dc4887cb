// The load generator: closed-loop workers doing quiz (or exam) answer-saves with a submission
// every `submitEvery`-th request of each user. Used unchanged against the app and the
// bare baseline, so the two numbers differ only by the server.
import { post, type Target } from './http';

/** A logged-in cadre with a pool of open attempts (all copies of one drawn quiz). */
export interface BenchUser {
	username: string;
	/** The Cookie header value: `session=<token>`. */
	cookie: string;
	/** Per position (index 0 = position 1), the form fields that answer that question. */
	fields: string[];
	/** Open attempts in the order they are used; a submission closes one and moves on. */
	attempts: number[];
}

export interface LoadOptions {
	warmupSeconds: number;
	seconds: number;
	concurrency: number;
	submitEvery: number;
	/** The form action a save or a submission posts to (default: the module quiz's). */
	actionPath?: (attemptId: number, action: 'answer' | 'submit') => string;
}

const quizActionPath = (attemptId: number, action: 'answer' | 'submit') =>
	`/quiz/attempt/${attemptId}?/${action}`;

export interface LoadResult {
	/** Length of the measured window (warm-up excluded), in seconds. */
	seconds: number;
	ok: number;
	errors: number;
	saves: number;
	submits: number;
	/** Users whose attempt pool ran out (their worker stopped using them). */
	exhausted: number;
	/** Latency of every measured request in milliseconds, sorted ascending. */
	latencies: Float64Array;
	/** A few error descriptions, to make a failing run debuggable. */
	errorSamples: string[];
}

interface UserState {
	user: BenchUser;
	next: number; // index into user.attempts
	position: number;
	saves: number; // since the last submission
}

// Enhanced form actions (x-sveltekit-action) answer 200 even for fail()/error():
// the outcome is in the JSON body's `type`.
const ACTION_FAILED = /^\{"type":"(failure|error)"/;

function succeeded(status: number, body: string): boolean {
	return status >= 200 && status < 400 && !ACTION_FAILED.test(body);
}

export function percentile(sorted: Float64Array, p: number): number {
	if (sorted.length === 0) return NaN;
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank]!;
}

export async function runLoad(t: Target, users: BenchUser[], o: LoadOptions): Promise<LoadResult> {
	const started = performance.now();
	const measureFrom = started + o.warmupSeconds * 1000;
	const end = measureFrom + o.seconds * 1000;
	const latencies: number[] = [];
	const r = { ok: 0, errors: 0, saves: 0, submits: 0, exhausted: 0, errorSamples: [] as string[] };

	// Each user belongs to exactly one worker, so one user's requests never race each other.
	const lanes: UserState[][] = Array.from({ length: o.concurrency }, () => []);
	users.forEach((user, i) => lanes[i % o.concurrency]!.push({ user, next: 0, position: 1, saves: 0 }));

	async function worker(states: UserState[]): Promise<void> {
		let turn = 0;
		while (states.length > 0 && performance.now() < end) {
			const s = states[turn++ % states.length]!;
			const attemptId = s.user.attempts[s.next]!;
			const submit = s.saves >= o.submitEvery - 1;
			const path = (o.actionPath ?? quizActionPath)(attemptId, submit ? 'submit' : 'answer');
			const body = submit ? '' : `position=${s.position}&${s.user.fields[s.position - 1]}&go=stay`;
			const t0 = performance.now();
			let ok = false;
			let problem = '';
			try {
				const reply = await post(t, path, body, { cookie: s.user.cookie, 'x-sveltekit-action': 'true' });
				ok = succeeded(reply.status, reply.body);
				if (!ok) problem = `${reply.status} ${reply.body.slice(0, 160)}`;
			} catch (e) {
				problem = (e as Error).message;
			}
			const t1 = performance.now();
			if (t0 >= measureFrom && t0 < end) {
				latencies.push(t1 - t0);
				if (ok) r.ok++;
				else {
					r.errors++;
					if (r.errorSamples.length < 5) r.errorSamples.push(`POST ${path} → ${problem}`);
				}
				if (submit) r.submits++;
				else r.saves++;
			}
			if (submit) {
				// Move on even after a failed submission, or the worker would retry it forever.
				s.saves = 0;
				s.position = 1;
				if (++s.next >= s.user.attempts.length) {
					states.splice(states.indexOf(s), 1);
					r.exhausted++;
				}
			} else {
				s.saves++;
				s.position = (s.position % s.user.fields.length) + 1;
			}
		}
	}

	await Promise.all(lanes.map(worker));
	const measured = Math.max(0.001, (Math.min(performance.now(), end) - measureFrom) / 1000);
	return { ...r, seconds: measured, latencies: Float64Array.from(latencies).sort() };
}
