import { appDatabase } from './http';

/** One row of the running app's database. */
export function row<T>(query: string, ...params: unknown[]): T {
	const db = appDatabase();
	try {
		return db.prepare(query).get(...params) as T;
	} finally {
		db.close();
	}
}

/**
 * Pages of each role (login name → paths; '' for anonymous) beyond the main ones the tests visit
 * one by one: accessibility and the Content-Security-Policy are checked on all of them.
 */
export function otherPages(): Record<string, string[]> {
	const id = (query: string) => row<{ id: number | string }>(query).id;
	const lishi = `(SELECT id FROM offices WHERE code = 'lishi')`;
	const module = id(`SELECT slug AS id FROM modules WHERE archived_at IS NULL ORDER BY sort_order LIMIT 1`);
	const serial = id(`SELECT serial AS id FROM certificates ORDER BY serial LIMIT 1`);
	const session = id(`SELECT id FROM study_sessions WHERE office_id = ${lishi} ORDER BY id LIMIT 1`);
	const authored = id(
		`SELECT min(id) AS id FROM module_drafts WHERE owner_school_id = (SELECT school_id FROM users WHERE username = 'dangxiao') AND module_id IS NOT NULL`
	);
	const lessonKey = id(
		`SELECT json_extract(doc, '$.lessons[0].key') AS id FROM module_drafts WHERE id = ${authored}`
	);
	const questionKey = id(
		`SELECT json_extract(doc, '$.questions[0].key') AS id FROM module_drafts WHERE id = ${authored}`
	);
	return {
		'lishi.cadre': [
			'/learn',
			`/learn/${module}`,
			'/quiz',
			'/quiz/book',
			'/quiz/history',
			'/quiz/review',
			'/rank/offices',
			'/me',
			'/tasks',
			'/record',
			'/notifications',
			'/search?q=%E4%BA%BA%E5%A4%A7',
			'/reflections',
			'/reflections/new',
			'/rules',
			'/live',
			'/checkin',
			'/account/password'
		],
		'lishi.admin': [
			'/office/members',
			'/office/members/new',
			'/office/members/import',
			`/office/members/${id(`SELECT id FROM users WHERE office_id = ${lishi} AND role = 'cadre' ORDER BY id LIMIT 1`)}/record`,
			'/office/courses',
			'/office/quiz',
			'/office/reflections',
			`/reflections/${id(`SELECT id FROM reflections WHERE office_id = ${lishi} AND status = 'submitted' ORDER BY id LIMIT 1`)}`,
			'/office/study-sessions',
			'/office/study-sessions/new',
			`/office/study-sessions/${session}`,
			`/office/study-sessions/${session}/screen`,
			'/office/live',
			`/office/live/${id(`SELECT id FROM live_quizzes WHERE office_id = ${lishi} ORDER BY id LIMIT 1`)}`
		],
		dangxiao: [
			'/school/courses',
			'/school/courses/new',
			`/school/courses/${id(`SELECT id FROM courses ORDER BY id LIMIT 1`)}`,
			'/school/quiz',
			`/school/quiz/${module}`,
			// The lesson and question editors of the school's seeded published module.
			`/author/${authored}/lessons/new`,
			`/author/${authored}/lessons/${lessonKey}`,
			`/author/${authored}/questions`,
			`/author/${authored}/questions/new`,
			`/author/${authored}/questions/${questionKey}`,
			`/author/${authored}/questions/import`,
			`/author/${authored}/questions/export`
		],
		admin: [
			'/admin/offices',
			`/admin/offices/${id(`SELECT id FROM offices WHERE code = 'lishi'`)}`,
			'/admin/schools',
			`/admin/schools/${id(`SELECT id FROM schools ORDER BY id LIMIT 1`)}`,
			'/admin/users',
			'/admin/users/new',
			`/admin/users/${id(`SELECT id FROM users WHERE username = 'lishi.cadre'`)}`,
			'/admin/settings',
			`/certificates/${serial}`
		],
		'': ['/verify', `/verify/${serial}`]
	};
}
