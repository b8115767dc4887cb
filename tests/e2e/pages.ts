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
	// 试卷 and 考试 (内容编写) of the party school: its seeded paper, its released exam (dashboard,
	// analysis, printable 成绩单 of 离石区) and its open one (settings, candidates, grading queue).
	const schoolOf = `(SELECT school_id FROM users WHERE username = 'dangxiao')`;
	const paper = id(
		`SELECT min(id) AS id FROM exam_papers WHERE owner_school_id = ${schoolOf} AND archived_at IS NULL`
	);
	const releasedExam = id(
		`SELECT min(id) AS id FROM exams WHERE owner_school_id = ${schoolOf} AND released_at IS NOT NULL`
	);
	const openExam = id(
		`SELECT min(id) AS id FROM exams WHERE owner_school_id = ${schoolOf} AND released_at IS NULL AND cancelled_at IS NULL`
	);
	// 我的考试 of 离石区's demo cadre: the released exam it sat (result and review) and the open one.
	const sat = id(
		`SELECT min(exam_id) AS id FROM exam_attempts WHERE user_id = (SELECT id FROM users WHERE username = 'lishi.cadre') AND released_at IS NOT NULL`
	);
	// 宣讲: a submitted talk of 离石区 (seeded, with photos): its page and the admin's correction form.
	const talk = id(
		`SELECT min(id) AS id FROM outreach_talks WHERE office_id = ${lishi} AND status = 'submitted' AND id IN (SELECT talk_id FROM outreach_photos)`
	);
	return {
		'lishi.cadre': [
			'/exams',
			`/exams/${sat}`,
			`/exams/${sat}/result`,
			`/exams/${openExam}`,
			'/learn',
			`/learn/${module}`,
			'/learn/report',
			'/learn/report?q=%E5%85%A8%E8%BF%87%E7%A8%8B%E4%BA%BA%E6%B0%91%E6%B0%91%E4%B8%BB',
			'/learn/report/6',
			'/quiz',
			'/quiz/book',
			'/quiz/history',
			'/quiz/review',
			'/rank/offices',
			'/me',
			'/me/coverage',
			'/me/bookmarks',
			'/me/notes',
			'/tasks',
			'/record',
			'/notifications',
			'/search?q=%E4%BA%BA%E5%A4%A7',
			'/reflections',
			'/reflections/new',
			'/outreach',
			'/outreach/new',
			`/outreach/${talk}`,
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
			'/office/coverage',
			'/office/outreach',
			'/office/outreach/print',
			'/office/quiz',
			'/office/reflections',
			`/reflections/${id(`SELECT id FROM reflections WHERE office_id = ${lishi} AND status = 'submitted' ORDER BY id LIMIT 1`)}`,
			'/outreach',
			'/outreach/new',
			`/outreach/${talk}`,
			`/outreach/${talk}/edit`,
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
			'/school/coverage',
			`/school/quiz/${module}`,
			// The lesson and question editors of the school's seeded published module.
			`/author/${authored}/lessons/new`,
			`/author/${authored}/lessons/${lessonKey}`,
			`/author/${authored}/questions`,
			`/author/${authored}/questions/new`,
			`/author/${authored}/questions/${questionKey}`,
			`/author/${authored}/questions/import`,
			`/author/${authored}/questions/export`,
			'/author/papers',
			'/author/papers/new',
			`/author/papers/${paper}`,
			'/author/exams',
			'/author/exams/new',
			`/author/exams/${releasedExam}`,
			`/author/exams/${releasedExam}/analysis`,
			`/author/exams/${releasedExam}/print/${id(`SELECT id FROM offices WHERE code = 'lishi'`)}`,
			`/author/exams/${openExam}`,
			`/author/exams/${openExam}/edit`,
			`/author/exams/${openExam}/candidates`,
			`/author/exams/${openExam}/grading`
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
			'/admin/tokens',
			// 宣讲 as the sysadmin: the office to record for is chosen first.
			'/outreach/new',
			`/certificates/${serial}`
		],
		'': ['/verify', `/verify/${serial}`]
	};
}
