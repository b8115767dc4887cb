// The demo seed's raw SQL (see db/statements.ts).
import { query, statements } from '../db/statements';

export const seedStatements = statements((q) => ({
	/**
	 * { userId, courseId }: what of a course a user has left (lessons, modules whose quiz is not
	 * passed) and when they last read a lesson of it and first passed its last quiz (ms).
	 */
	courseProgress: query(
		q,
		`SELECT
			(SELECT count(*) FROM lessons l JOIN course_modules cm ON cm.module_id = l.module_id
				LEFT JOIN lesson_progress p ON p.lesson_id = l.id AND p.user_id = @userId
				WHERE cm.course_id = @courseId AND l.archived_at IS NULL AND p.completed_at IS NULL) AS lessons_left,
			(SELECT max(p.completed_at) FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id
				JOIN course_modules cm ON cm.module_id = l.module_id WHERE cm.course_id = @courseId AND p.user_id = @userId) AS last_lesson,
			(SELECT count(*) FROM course_modules cm WHERE cm.course_id = @courseId AND NOT EXISTS
				(SELECT 1 FROM attempts a WHERE a.user_id = @userId AND a.module_id = cm.module_id AND a.passed = 1)) AS quizzes_left,
			(SELECT max(first) FROM (SELECT min(a.submitted_at) AS first FROM attempts a JOIN course_modules cm ON cm.module_id = a.module_id
				WHERE cm.course_id = @courseId AND a.user_id = @userId AND a.passed = 1 GROUP BY a.module_id)) AS last_pass`,
		(r: {
			lessons_left: number;
			last_lesson: number | null;
			quizzes_left: number;
			last_pass: number | null;
		}) => ({
			lessonsLeft: r.lessons_left,
			lastLesson: r.last_lesson,
			quizzesLeft: r.quizzes_left,
			lastPass: r.last_pass
		})
	)
}));
