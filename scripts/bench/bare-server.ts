// The baseline for bench:quiz and bench:exam: node:http + better-sqlite3 doing the same SQL
// writes as the app's answer and submit actions (module quizzes at /quiz/attempt, exams at
// /exams/attempt), with nothing else (no framework, no ORM, no scoring).
// Run as its own process (like the app) with PORT, ORIGIN and DATABASE_URL.
import Database from 'better-sqlite3';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const port = Number(process.env.PORT);
const origin = process.env.ORIGIN;
const dbPath = process.env.DATABASE_URL;
if (!port || !origin || !dbPath) throw new Error('PORT, ORIGIN and DATABASE_URL are required');

// The same pragmas as createDb(), so both servers pay the same commit cost.
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

const sessionById = db.prepare<[string], { userId: number; secretHash: Buffer; expiresAt: number }>(
	'SELECT user_id AS userId, secret_hash AS secretHash, expires_at AS expiresAt FROM sessions WHERE id = ?'
);
/** The statements of one kind of sitting: its attempts table and its items table. */
function statementsFor(attemptsTable: string, itemsTable: string) {
	return {
		ownOpenAttempt: db.prepare<[number, number], { submittedAt: number | null; deadline: number }>(
			`SELECT submitted_at AS submittedAt, deadline FROM ${attemptsTable} WHERE id = ? AND user_id = ?`
		),
		saveItem: db.prepare(
			`UPDATE ${itemsTable} SET response = ?, answered_at = ? WHERE attempt_id = ? AND position = ?`
		),
		closeAttempt: db.prepare(
			`UPDATE ${attemptsTable} SET submitted_at = ?, auto_submitted = 0 WHERE id = ? AND submitted_at IS NULL`
		)
	};
}
const KINDS = {
	quiz: statementsFor('attempts', 'attempt_items'),
	exams: statementsFor('exam_attempts', 'exam_attempt_items')
};
type Kind = keyof typeof KINDS;

type Outcome = { status: number; location?: string };

// Like the app: own-attempt check and write in one immediate transaction.
const save = db.transaction(
	(
		kind: Kind,
		userId: number,
		attemptId: number,
		position: number,
		response: string,
		now: number
	): Outcome => {
		const { ownOpenAttempt, saveItem } = KINDS[kind];
		const attempt = ownOpenAttempt.get(attemptId, userId);
		if (!attempt) return { status: 404 };
		if (attempt.submittedAt !== null) return { status: 409 };
		const r = saveItem.run(response, now, attemptId, position);
		return r.changes
			? { status: 303, location: `/${kind}/attempt/${attemptId}?q=${position}` }
			: { status: 400 };
	}
);

const submit = db.transaction((kind: Kind, userId: number, attemptId: number, now: number): Outcome => {
	const { ownOpenAttempt, closeAttempt } = KINDS[kind];
	if (!ownOpenAttempt.get(attemptId, userId)) return { status: 404 };
	closeAttempt.run(now, attemptId);
	return { status: 303, location: `/${kind}/attempt/${attemptId}/result` };
});

/** The session cookie checked like the app does: id lookup, SHA-256 of the secret, expiry. */
function userOf(req: IncomingMessage): number | null {
	const match = /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie ?? '');
	const [id, secret] = (match?.[1] ?? '').split('.');
	if (!id || !secret) return null;
	const row = sessionById.get(id);
	if (!row || row.expiresAt <= Date.now()) return null;
	const hash = createHash('sha256').update(secret).digest();
	return hash.length === row.secretHash.length && timingSafeEqual(hash, row.secretHash) ? row.userId : null;
}

/** The response as the app's form fields would read it (choice, tf, blank). */
function responseOf(form: URLSearchParams): string | null {
	const choices = form.getAll('choice');
	if (choices.length === 1) return JSON.stringify(Number(choices[0]));
	if (choices.length > 1) return JSON.stringify(choices.map(Number));
	const tf = form.get('tf');
	if (tf === 'true' || tf === 'false') return JSON.stringify(tf === 'true');
	const blanks = form.getAll('blank');
	if (blanks.length) return JSON.stringify(blanks);
	const essay = form.get('essay');
	return essay ? JSON.stringify(essay) : null;
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

// Enhanced requests get what SvelteKit sends them: 200 with the redirect in JSON.
function reply(req: IncomingMessage, res: ServerResponse, o: Outcome): void {
	if (o.location && req.headers['x-sveltekit-action'] === 'true') {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ type: 'redirect', status: o.status, location: o.location }));
	} else {
		res.writeHead(o.status, o.location ? { location: o.location } : {});
		res.end();
	}
}

const ACTION = /^\/(quiz|exams)\/attempt\/(\d+)\?\/(answer|submit)$/;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
	if (req.method === 'GET' && req.url === '/healthz') {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end('{"status":"ok"}');
		return;
	}
	const action = ACTION.exec(req.url ?? '');
	if (req.method !== 'POST' || !action) return reply(req, res, { status: 404 });
	if (req.headers.origin !== origin) return reply(req, res, { status: 403 });
	const body = await readBody(req);
	const userId = userOf(req);
	if (userId === null) return reply(req, res, { status: 401 });
	const kind = action[1] as Kind;
	const attemptId = Number(action[2]);
	if (action[3] === 'submit') return reply(req, res, submit.immediate(kind, userId, attemptId, Date.now()));
	const form = new URLSearchParams(body);
	const position = Number(form.get('position'));
	const response = responseOf(form);
	if (!Number.isInteger(position) || position < 1 || response === null)
		return reply(req, res, { status: 400 });
	reply(req, res, save.immediate(kind, userId, attemptId, position, response, Date.now()));
}

createServer((req, res) => {
	handle(req, res).catch((e: unknown) => {
		process.stderr.write(`bare server: ${(e as Error).stack}\n`);
		if (!res.headersSent) res.writeHead(500);
		res.end();
	});
}).listen(port, '127.0.0.1');

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
process.on('exit', () => db.close());
