// The benchmark's database: the real schema, content and organisation, plus many cadres
// and pools of open quiz attempts, written directly with SQL so setup takes seconds.
import type { QuestionSnapshot } from '../../src/lib/server/quiz/questions';
import { hashPassword } from '../../src/lib/server/auth/password';
import { syncContent } from '../../src/lib/server/content/sync';
import { createDb, migrateDb, type Db } from '../../src/lib/server/db';
import { seedOrganisation } from '../../src/lib/server/seed';

export const BENCH_PASSWORD = 'Bench#2026';

export interface ExtraCadre {
	username: string;
}

/** Creates the database with every migration, the content pack and the office tree. */
export async function createBenchDb(path: string): Promise<Db> {
	const db = createDb(path);
	migrateDb(db);
	syncContent(db);
	await seedOrganisation(db);
	return db;
}

/**
 * Inserts `count` cadres spread round-robin over the offices. One argon2 hash is
 * shared (hashing each would take minutes); one transaction and one prepared
 * statement keep it to well under a second.
 */
export async function insertCadres(db: Db, count: number): Promise<ExtraCadre[]> {
	const hash = await hashPassword(BENCH_PASSWORD);
	const sqlite = db.$client;
	const offices = sqlite.prepare('SELECT id, code FROM offices ORDER BY id').all() as {
		id: number;
		code: string;
	}[];
	const insert = sqlite.prepare(
		"INSERT INTO users (username, name, role, office_id, title, password_hash) VALUES (?, ?, 'cadre', ?, '科员', ?)"
	);
	const cadres: ExtraCadre[] = [];
	sqlite.transaction(() => {
		for (let i = 1; i <= count; i++) {
			const office = offices[i % offices.length]!;
			const username = `${office.code}.bench${String(i).padStart(5, '0')}`;
			insert.run(username, `压测干部${i}`, office.id, hash);
			cadres.push({ username });
		}
	})();
	return cadres;
}

export function liveModuleSlugs(db: Db): string[] {
	const rows = db.$client
		.prepare('SELECT slug FROM modules WHERE archived_at IS NULL ORDER BY sort_order, id')
		.all() as { slug: string }[];
	return rows.map((r) => r.slug);
}

/** The form fields that give some valid answer to a question of this snapshot. */
function answerFields(snapshot: QuestionSnapshot): string {
	switch (snapshot.type) {
		case 'single':
		case 'multiple':
			return 'choice=0';
		case 'truefalse':
			return 'tf=true';
		case 'fill':
			// The app refuses a response with the wrong number of blanks.
			return (snapshot.answer as string[][]).map(() => 'blank=x').join('&');
		case 'essay':
			return 'essay=x';
	}
}

/**
 * Per position of an attempt, the fields that answer it (read from the drawn snapshots):
 * module quiz attempts (`attempt_items`) or exam sittings (`exam_attempt_items`).
 */
export function attemptFields(
	db: Db,
	attemptId: number,
	items: 'attempt_items' | 'exam_attempt_items' = 'attempt_items'
): string[] {
	const rows = db.$client
		.prepare(`SELECT snapshot FROM ${items} WHERE attempt_id = ? ORDER BY position`)
		.all(attemptId) as { snapshot: string }[];
	return rows.map((r) => answerFields(JSON.parse(r.snapshot) as QuestionSnapshot));
}

/**
 * Adds `copies` open attempts for the owner of `templateId`, each a copy of it (same
 * drawn questions, unanswered). The app allows one open attempt per user and module
 * through its start action, so a pool large enough for thousands of submissions is
 * made here; save and submit look attempts up by id and owner only, so the copies are
 * handled exactly like started ones. Deadlines are pushed past the end of the run.
 */
export function clonePool(db: Db, templateId: number, copies: number, deadline: Date): number[] {
	const sqlite = db.$client;
	const now = Date.now();
	const cloneAttempt = sqlite.prepare(
		`INSERT INTO attempts (user_id, kind, module_id, day, started_at, deadline, pass_mark, show_answers, total)
		 SELECT user_id, kind, module_id, day, ?, ?, pass_mark, show_answers, total FROM attempts WHERE id = ?
		 RETURNING id`
	);
	const cloneItems = sqlite.prepare(
		`INSERT INTO attempt_items (attempt_id, position, question_id, snapshot)
		 SELECT ?, position, question_id, snapshot FROM attempt_items WHERE attempt_id = ?`
	);
	const ids: number[] = [templateId];
	sqlite.transaction(() => {
		sqlite.prepare('UPDATE attempts SET deadline = ? WHERE id = ?').run(deadline.getTime(), templateId);
		for (let i = 0; i < copies; i++) {
			const { id } = cloneAttempt.get(now, deadline.getTime(), templateId) as { id: number };
			cloneItems.run(id, templateId);
			ids.push(id);
		}
	})();
	return ids;
}
