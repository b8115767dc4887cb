import { beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import {
	assign,
	attemptItems,
	bankIds,
	examWorld,
	HOUR,
	makeExam,
	makePaper,
	MINUTE,
	NOW,
	openExam,
	rightResponse,
	sit,
	start,
	type Actor,
	type DrawnItem,
	type World
} from './exams-setup';
import {
	countedAttempt,
	examDashboard,
	examResult,
	gradableExams,
	gradeAnswer,
	gradingProgress,
	gradingQueue,
	gradingTask,
	grantRetake,
	itemAnalysis,
	itemFlags,
	latestItemStats,
	printableResults,
	releaseDue,
	releaseResults,
	remindAbsentees,
	resultsExport,
	type PaperDoc
} from '../../src/lib/server/exams';
import { GRADE_TAKEN } from '../../src/lib/server/exams/grading';
import {
	attempts,
	auditLog,
	creditHours,
	enrolments,
	examAttempts,
	examGrades,
	examItemStats,
	exams,
	lessonProgress,
	lessons,
	notifications,
	questions,
	users
} from '../../src/lib/server/db/schema';
import { saveCourse } from '../../src/lib/server/courses/courses';
import { assignCourse } from '../../src/lib/server/courses/enrol';
import { checkCourseCompletion, progressIn } from '../../src/lib/server/courses/progress';
import { xlsxStream } from '../../src/lib/server/participation/export';
import { finaliseOverdueExams } from '../../src/lib/server/exams/taking';

// Grading, release, results, the dashboard, item analysis and the 成绩单 (issue #17). The world
// (exams-setup.ts): a school with graders s1–s3, the city office with 离石 and 孝义 below it, five
// cadres and three office admins (eight candidates of a school exam assigned to the city tree).
// NOW is 10:00; an exam's window is 09:00–12:00, so AFTER (13:00) is after it closed.

const AFTER = new Date(NOW.getTime() + 3 * HOUR);

let world: World;
let db: World['db'];

beforeEach(async () => {
	world = await examWorld();
	db = world.db;
});

const essayOf = (attemptId: number): DrawnItem =>
	attemptItems(db, attemptId).find((i) => i.snapshot.type === 'essay')!;

function grade(
	actor: Actor,
	examId: number,
	attemptId: number,
	marks: number[],
	extra: { comment?: string; round?: number } = {}
) {
	return gradeAnswer(
		db,
		actor,
		examId,
		attemptId,
		essayOf(attemptId).position,
		{ scores: marks, comment: extra.comment ?? '', round: extra.round },
		NOW
	);
}

const attemptRow = (id: number) => db.select().from(examAttempts).where(eq(examAttempts.id, id)).get()!;
const examRow = (id: number) => db.select().from(exams).where(eq(exams.id, id)).get()!;
const audits = (action: string) => db.select().from(auditLog).where(eq(auditLog.action, action)).all();
const noticesOf = (userId: number) =>
	db.select().from(notifications).where(eq(notifications.userId, userId)).all();
const cadre = (n: number) => [...world.cadres.lishi, ...world.cadres.xiaoyi][n]!;

/** Every candidate of an exam assigned to the city tree: five cadres, then the three office admins. */
const everyone = () => [
	...world.cadres.lishi.map((u) => u.id),
	...world.cadres.xiaoyi.map((u) => u.id),
	world.actors.city.id,
	world.actors.lishi.id,
	world.actors.xiaoyi.id
];

describe('grading 简答', () => {
	function secondGradingExam() {
		return openExam(world, NOW, {
			settings: {
				secondGrading: true,
				gradingMargin: 2,
				graderIds: [world.actors.s1.id, world.actors.s2.id, world.actors.s3.id]
			}
		}).examId;
	}

	it('two grades within the margin: the mean, rounded to half a point, and the attempt is graded', () => {
		const examId = secondGradingExam();
		const attemptId = sit(world, cadre(0).id, examId, NOW, 'right');
		// Objective items are scored on submission; the attempt waits for its 简答.
		expect(attemptRow(attemptId)).toMatchObject({ objectiveScore: 12, score: null, gradedAt: null });

		expect(grade(world.actors.s1, examId, attemptId, [2, 2, 1])).toEqual({ ok: true }); // 5
		expect(attemptRow(attemptId).gradedAt).toBeNull();
		expect(essayOf(attemptId).score).toBeNull();
		// The first grader may not grade the second round.
		expect(gradingQueue(db, world.actors.s1.id, examId).next).toBeNull();
		expect(gradingProgress(db, examId)).toMatchObject({ answers: 1, needed: 2, given: 1, complete: false });

		expect(grade(world.actors.s2, examId, attemptId, [2, 1, 0.5])).toEqual({ ok: true }); // 3.5, |5 − 3.5| ≤ 2
		expect(essayOf(attemptId).score).toBe(4.5); // (5 + 3.5) / 2 = 4.25 → 4.5
		expect(attemptRow(attemptId)).toMatchObject({ score: 16.5, passed: true, gradedAt: NOW });
		expect(gradingProgress(db, examId)).toMatchObject({ needed: 2, given: 2, thirdRound: 0, complete: true });
		expect(audits('exam.grade')).toHaveLength(2);
	});

	it('two grades beyond the margin: a third grader who did neither decides, seeing the earlier scores', () => {
		const examId = secondGradingExam();
		const attemptId = sit(world, cadre(0).id, examId, NOW, 'right');
		grade(world.actors.s1, examId, attemptId, [2, 2, 1], { comment: '要点齐全' }); // 5
		grade(world.actors.s2, examId, attemptId, [0, 0, 0.5]); // 0.5: 4.5 apart
		expect(essayOf(attemptId).score).toBeNull();
		expect(gradingProgress(db, examId)).toMatchObject({
			needed: 3,
			given: 2,
			thirdRound: 1,
			complete: false
		});
		for (const earlier of [world.actors.s1, world.actors.s2]) {
			expect(gradingQueue(db, earlier.id, examId).next).toBeNull();
			expect(gradingTask(db, earlier.id, examId, attemptId, essayOf(attemptId).position)).toBeUndefined();
			expect(grade(earlier, examId, attemptId, [1, 1, 1]).ok).toBe(false);
		}
		const task = gradingQueue(db, world.actors.s3.id, examId).next!;
		expect(task).toMatchObject({ attemptId, round: 3 });
		expect(task.earlier).toEqual([
			{ round: 1, score: 5, comment: '要点齐全' },
			{ round: 2, score: 0.5, comment: '' }
		]);
		expect(grade(world.actors.s3, examId, attemptId, [1, 1, 0], { round: 3 })).toEqual({ ok: true });
		expect(essayOf(attemptId).score).toBe(2); // the third grade, not a mean
		expect(attemptRow(attemptId)).toMatchObject({ score: 14, passed: true });
		expect(gradingProgress(db, examId)).toMatchObject({ needed: 3, given: 3, thirdRound: 0, complete: true });
	});

	it('refuses marks outside the rubric (and a long comment) with nothing written', () => {
		const { examId } = openExam(world, NOW);
		const attemptId = sit(world, cadre(0).id, examId, NOW, 'right');
		// The rubric: 2, 2 and 1 points.
		const refused = grade(world.actors.s1, examId, attemptId, [2, 3, 1]);
		expect(refused).toEqual({ ok: false, errors: { 'scores.1': '第2个采分点最多 2 分' } });
		const more = grade(world.actors.s1, examId, attemptId, [-1, 0.3, Number.NaN], {
			comment: '很'.repeat(501)
		});
		expect(more).toEqual({
			ok: false,
			errors: {
				'scores.0': '第1个采分点的得分须为 0–2 之间 0.5 的倍数',
				'scores.1': '第2个采分点的得分须为 0–2 之间 0.5 的倍数',
				'scores.2': '请为第3个采分点打分',
				comment: '评语不能超过 500 个字'
			}
		});
		expect(grade(world.actors.s1, examId, attemptId, [2, 2]).ok).toBe(false);
		expect(db.select().from(examGrades).all()).toEqual([]);
		expect(audits('exam.grade')).toEqual([]);
		expect(essayOf(attemptId).score).toBeNull();
		expect(attemptRow(attemptId).gradedAt).toBeNull();
		// Someone who is not a grader of the exam is refused too.
		expect(grade(world.actors.s2, examId, attemptId, [1, 1, 1])).toEqual({
			ok: false,
			errors: { _form: '您不是这场考试的阅卷人' }
		});
	});

	it('two graders on the same answer: the second grade is refused cleanly and nothing of it is written', () => {
		const { examId } = openExam(world, NOW, {
			settings: { graderIds: [world.actors.s1.id, world.actors.s2.id] }
		});
		const attemptId = sit(world, cadre(0).id, examId, NOW, 'right');
		// Both graders open the same answer…
		const first = gradingQueue(db, world.actors.s1.id, examId).next!;
		const second = gradingQueue(db, world.actors.s2.id, examId).next!;
		expect([second.attemptId, second.position, second.round]).toEqual([first.attemptId, first.position, 1]);
		// …and both send a grade for round 1.
		const a = gradeAnswer(
			db,
			world.actors.s1,
			examId,
			first.attemptId,
			first.position,
			{ scores: [2, 2, 1], comment: '', round: 1 },
			NOW
		);
		const b = gradeAnswer(
			db,
			world.actors.s2,
			examId,
			second.attemptId,
			second.position,
			{ scores: [0, 0, 0], comment: '', round: 1 },
			NOW
		);
		expect(a).toEqual({ ok: true });
		expect(b).toEqual({ ok: false, errors: { _form: GRADE_TAKEN } });
		expect(db.select().from(examGrades).all()).toHaveLength(1);
		expect(essayOf(attemptId).score).toBe(5);
		expect(audits('exam.grade')).toHaveLength(1);
		// The database itself holds one grade per answer and round.
		expect(() =>
			db
				.insert(examGrades)
				.values({
					attemptId,
					position: first.position,
					round: 1,
					graderId: world.actors.s2.id,
					scores: '[0,0,0]',
					score: 0,
					gradedAt: NOW
				})
				.run()
		).toThrow(/UNIQUE/);
		expect(gradingQueue(db, world.actors.s2.id, examId).next).toBeNull();
	});

	it('a grader sees the 答卷编号, the question, the rubric and the answer, never whose it is', () => {
		const { examId } = openExam(world, NOW);
		const attemptId = sit(world, cadre(0).id, examId, NOW, 'right');
		const { next, progress } = gradingQueue(db, world.actors.s1.id, examId);
		expect(next).toMatchObject({
			attemptId,
			code: attemptRow(attemptId).code,
			round: 1,
			points: 5,
			answer: '人大代表应当密切联系群众，依法履职。',
			rubric: [
				{ point: '密切联系群众', points: 2 },
				{ point: '依法履职', points: 2 },
				{ point: '接受原选区选民监督', points: 1 }
			]
		});
		const shown = JSON.stringify(next);
		for (const secret of [cadre(0).name, cadre(0).username, `"userId"`, `"name"`])
			expect(shown).not.toContain(secret);
		expect(progress.byGrader).toEqual([{ userId: world.actors.s1.id, name: '党校甲', given: 0 }]);
		expect(gradableExams(db, world.actors.s1.id)).toEqual([
			{ id: examId, title: '2025 年度应知应会考试', toGrade: 1 }
		]);
		expect(gradableExams(db, world.actors.s2.id)).toEqual([]);
	});
});

describe('which attempt counts', () => {
	it('highest (the earlier of equal scores), last or first, among released graded attempts', () => {
		const list = [
			{ id: 1, number: 1, score: 8, gradedAt: 1, releasedAt: 1 },
			{ id: 2, number: 2, score: 12, gradedAt: 1, releasedAt: 1 },
			{ id: 3, number: 3, score: 12, gradedAt: 1, releasedAt: 1 },
			{ id: 4, number: 4, score: 15, gradedAt: 1, releasedAt: null },
			{ id: 5, number: 5, score: null, gradedAt: null, releasedAt: null }
		];
		expect(countedAttempt(list, 'highest')?.id).toBe(2);
		expect(countedAttempt(list, 'last')?.id).toBe(3);
		expect(countedAttempt(list, 'first')?.id).toBe(1);
		// The admin's figures before release count graded attempts.
		expect(countedAttempt(list, 'highest', { released: false })?.id).toBe(4);
		expect(countedAttempt(list, 'last', { released: false })?.id).toBe(4);
		expect(countedAttempt([], 'highest')).toBeNull();
	});

	it('a candidate with three sittings: the exam’s rule decides which result is theirs', () => {
		const fixedOnly = (item: DrawnItem) => (item.section === 0 ? rightResponse(item.snapshot) : null);
		for (const [counting, expected] of [
			['highest', 12],
			['last', 4],
			['first', 0]
		] as const) {
			const { examId } = openExam(world, NOW, { essays: false, settings: { attemptsAllowed: 3, counting } });
			const user = cadre(0).id;
			sit(world, user, examId, NOW, 'wrong'); // 0
			sit(world, user, examId, new Date(NOW.getTime() + 20 * MINUTE), 'right'); // 12
			sit(world, user, examId, new Date(NOW.getTime() + 40 * MINUTE), fixedOnly); // 4
			expect(releaseResults(db, world.actors.s1, world.owners.school, examId, AFTER).ok).toBe(true);
			const result = examResult(db, user, examId)!;
			expect(result.counted?.score).toBe(expected);
			expect(result.attempts.map((a) => [a.number, a.score, a.counts])).toEqual([
				[1, 0, expected === 0],
				[2, 12, expected === 12],
				[3, 4, expected === 4]
			]);
		}
	});
});

describe('release', () => {
	/** Nothing of a release is there: results hidden, no analysis, notices, 学时 or audit row. */
	function expectNothingReleased(examId: number) {
		expect(examRow(examId).releasedAt).toBeNull();
		expect(
			db
				.select()
				.from(examAttempts)
				.all()
				.filter((a) => a.releasedAt !== null)
		).toEqual([]);
		expect(db.select().from(examItemStats).all()).toEqual([]);
		expect(
			db
				.select()
				.from(notifications)
				.all()
				.filter((n) => n.kind === 'result')
		).toEqual([]);
		expect(db.select().from(creditHours).all()).toEqual([]);
		expect(audits('exam.release')).toEqual([]);
	}

	it('is refused while the window is open, while a 补考 window is open and while 简答 are ungraded, with nothing written', () => {
		const { examId } = openExam(world, NOW, { settings: { creditHours: 2 } });
		const a = sit(world, cadre(0).id, examId, NOW, 'right');
		const b = sit(world, cadre(1).id, examId, NOW, 'right');
		const release = (at: Date) => releaseResults(db, world.actors.s1, world.owners.school, examId, at);

		expect(release(NOW)).toEqual({
			ok: false,
			errors: { _form: '考试还没有结束（2025年6月10日 12:00 截止），结束后才能公布成绩' }
		});
		expect(release(AFTER)).toEqual({ ok: false, errors: { _form: '还有 2 份简答未评完，不能公布成绩' } });
		grade(world.actors.s1, examId, a, [2, 2, 1]);
		expect(release(AFTER)).toEqual({ ok: false, errors: { _form: '还有 1 份简答未评完，不能公布成绩' } });
		grade(world.actors.s1, examId, b, [1, 1, 1]);

		const granted = grantRetake(
			db,
			world.actors.s1,
			world.owners.school,
			examId,
			cadre(2).id,
			{
				extraAttempts: 0,
				opensAt: new Date(AFTER.getTime() - HOUR),
				closesAt: new Date(AFTER.getTime() + HOUR)
			},
			AFTER
		);
		expect(granted.ok).toBe(true);
		expect(release(AFTER)).toEqual({
			ok: false,
			errors: { _form: '还有 1 位考生的补考时段没有结束，不能公布成绩' }
		});
		expectNothingReleased(examId);

		// Another owner's admin cannot release it at all.
		expect(releaseResults(db, world.actors.lishi, world.owners.lishi, examId, AFTER)).toEqual({
			ok: false,
			errors: { _form: '没有找到这场考试，或不在您的管理范围内' }
		});
	});

	it('is refused while someone is still writing in their 补考 window', () => {
		const { examId } = openExam(world, NOW, { essays: false });
		const retakeOpens = new Date(AFTER.getTime() - 30 * MINUTE);
		const granted = grantRetake(
			db,
			world.actors.s1,
			world.owners.school,
			examId,
			cadre(0).id,
			{
				extraAttempts: 0,
				opensAt: retakeOpens,
				closesAt: new Date(retakeOpens.getTime() + 2 * HOUR)
			},
			retakeOpens
		);
		expect(granted.ok).toBe(true);
		const closes = new Date(retakeOpens.getTime() + 2 * HOUR);
		// They start an hour before their window closes: their deadline is its close.
		start(world, cadre(0).id, examId, new Date(closes.getTime() - HOUR));
		expect(
			releaseResults(
				db,
				world.actors.s1,
				world.owners.school,
				examId,
				new Date(closes.getTime() - 30 * MINUTE)
			)
		).toEqual({
			ok: false,
			errors: { _form: '还有 1 位考生的补考时段没有结束，不能公布成绩' }
		});
		// Their window has closed, but within the grace after the deadline the attempt is still theirs to save.
		expect(
			releaseResults(db, world.actors.s1, world.owners.school, examId, new Date(closes.getTime() + 30_000))
		).toEqual({
			ok: false,
			errors: { _form: '还有 1 位考生正在作答，不能公布成绩' }
		});
		expectNothingReleased(examId);
		// Past the grace, the attempt is closed with what was saved and the results can be released.
		expect(
			releaseResults(
				db,
				world.actors.s1,
				world.owners.school,
				examId,
				new Date(closes.getTime() + 2 * MINUTE)
			)
		).toEqual({
			ok: true,
			value: { released: 1 }
		});
	});

	it('makes results visible, tells each candidate, credits 学时 once to those who passed and completes their course', () => {
		// A course of module A whose rule now includes the exam.
		const saved = saveCourse(db, world.actors.s1, {
			title: '全过程人民民主专题班',
			description: '',
			hours: '6',
			required: 'required',
			opensOn: '2025-06-01',
			dueOn: '2025-07-31',
			moduleIds: [String(world.modules.a)]
		});
		if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
		const courseId = saved.id;
		const assigned = assignCourse(
			db,
			world.actors.s1,
			courseId,
			{ officeIds: [world.tree.lishi.id], includeDescendants: false, usernames: [] },
			NOW
		);
		expect(assigned.ok).toBe(true);
		const { examId } = openExam(world, NOW, { essays: false, settings: { creditHours: 2, courseId } });
		const [passer, failer] = [cadre(0).id, cadre(1).id];
		for (const userId of [passer, failer]) {
			const at = new Date(NOW.getTime() - 24 * HOUR);
			for (const l of db.select().from(lessons).where(eq(lessons.moduleId, world.modules.a)).all())
				db.insert(lessonProgress)
					.values({ userId, lessonId: l.id, openedAt: at, completedAt: at, completedDay: '2025-06-09' })
					.run();
			db.insert(attempts)
				.values({
					userId,
					kind: 'module',
					moduleId: world.modules.a,
					day: '2025-06-09',
					startedAt: at,
					deadline: at,
					submittedAt: at,
					passMark: 60,
					showAnswers: true,
					total: 10,
					correct: 10,
					percent: 100,
					passed: true
				})
				.run();
			// Modules done, the exam not yet: the course is not complete.
			expect(checkCourseCompletion(db, userId, NOW)).toBe(0);
		}

		expect(progressIn(db, passer, courseId).nextStep).toEqual({
			label: '参加考试“2025 年度应知应会考试”',
			href: `/exams/${examId}`
		});
		const passed = sit(world, passer, examId, NOW, 'right');
		const failed = sit(world, failer, examId, NOW, 'wrong');
		const enrolment = (userId: number) =>
			db
				.select()
				.from(enrolments)
				.where(and(eq(enrolments.courseId, courseId), eq(enrolments.userId, userId)))
				.get()!;

		const released = releaseResults(db, world.actors.s1, world.owners.school, examId, AFTER);
		expect(released).toEqual({ ok: true, value: { released: 2 } });
		expect(examRow(examId).releasedAt).toEqual(AFTER);
		expect(attemptRow(passed).releasedAt).toEqual(AFTER);
		expect(attemptRow(failed).releasedAt).toEqual(AFTER);

		for (const userId of [passer, failer])
			expect(noticesOf(userId).filter((n) => n.kind === 'result')).toMatchObject([
				{ title: '成绩已公布：“2025 年度应知应会考试”', href: `/exams/${examId}/result` }
			]);
		const credited = (source: 'exam' | 'course') =>
			db.select().from(creditHours).where(eq(creditHours.source, source)).all();
		expect(credited('exam')).toMatchObject([{ userId: passer, sourceId: examId, hours: 2, year: 2025 }]);
		// The course completed too, with its own 学时.
		expect(credited('course')).toMatchObject([{ userId: passer, sourceId: courseId, hours: 6 }]);
		expect(enrolment(passer).completedAt).toEqual(AFTER);
		expect(enrolment(failer).completedAt).toBeNull();
		expect(audits('exam.release')).toHaveLength(1);
		expect(audits('exam.release')[0]).toMatchObject({
			actorUserId: world.actors.s1.id,
			schoolId: world.school.id,
			targetType: 'exam',
			targetId: String(examId)
		});

		// Releasing again: nothing new, no second 学时 or notice.
		expect(
			releaseResults(db, world.actors.s1, world.owners.school, examId, new Date(AFTER.getTime() + HOUR))
		).toEqual({
			ok: true,
			value: { released: 0 }
		});
		expect(credited('exam')).toHaveLength(1);
		expect(noticesOf(passer).filter((n) => n.kind === 'result')).toHaveLength(1);
	});

	it('a retake graded after the release is released later: the new counted result passes and is credited', () => {
		const { examId } = openExam(world, NOW, { essays: false, settings: { creditHours: 1.5 } });
		const user = cadre(0).id;
		sit(world, user, examId, NOW, 'wrong');
		expect(releaseResults(db, world.actors.s1, world.owners.school, examId, AFTER).ok).toBe(true);
		expect(db.select().from(creditHours).all()).toEqual([]);
		const opens = new Date(AFTER.getTime() + HOUR);
		const granted = grantRetake(
			db,
			world.actors.s1,
			world.owners.school,
			examId,
			user,
			{
				extraAttempts: 1,
				opensAt: opens,
				closesAt: new Date(opens.getTime() + 2 * HOUR)
			},
			AFTER
		);
		expect(granted.ok).toBe(true);
		const retake = sit(world, user, examId, opens, 'right');
		const later = new Date(opens.getTime() + 3 * HOUR);
		expect(releaseResults(db, world.actors.s1, world.owners.school, examId, later)).toEqual({
			ok: true,
			value: { released: 1 }
		});
		expect(examResult(db, user, examId)!.counted).toEqual({ attemptId: retake, score: 12, passed: true });
		expect(db.select().from(creditHours).all()).toMatchObject([{ userId: user, hours: 1.5, source: 'exam' }]);
		expect(noticesOf(user).filter((n) => n.kind === 'result')).toHaveLength(2);
	});

	it('releases by itself at the set time once grading is complete (recorded as the system)', () => {
		const releaseAt = new Date(NOW.getTime() + 2 * HOUR + 30 * MINUTE);
		const { examId } = openExam(world, NOW, { settings: { releaseAt } });
		const attemptId = sit(world, cadre(0).id, examId, NOW, 'right');
		expect(releaseDue(db, new Date(releaseAt.getTime() - MINUTE))).toBe(0);
		expect(releaseDue(db, releaseAt)).toBe(0); // the 简答 is not graded yet
		expectNothingReleased(examId);
		grade(world.actors.s1, examId, attemptId, [2, 2, 1]);
		expect(releaseDue(db, AFTER)).toBe(1);
		expect(attemptRow(attemptId).releasedAt).toEqual(AFTER);
		expect(audits('exam.release')).toMatchObject([{ actorUserId: null, actorName: '系统', ip: null }]);
		expect(releaseDue(db, new Date(AFTER.getTime() + MINUTE))).toBe(0);
	});
});

describe('results as the candidate sees them', () => {
	it('before release: submitted, no score and no key; after: the score, and the review only if the exam allows it', () => {
		const { examId } = openExam(world, NOW);
		const user = cadre(0).id;
		const attemptId = sit(world, user, examId, NOW, 'right');
		const before = examResult(db, user, examId)!;
		expect(before).toMatchObject({ counted: null, review: null });
		expect(before.attempts).toEqual([
			{
				id: attemptId,
				number: 1,
				submittedAt: new Date(NOW.getTime() + 10 * MINUTE),
				score: null,
				passed: null,
				counts: false,
				released: false
			}
		]);
		const text = JSON.stringify(before);
		for (const secret of [
			'人大代表应当密切联系群众，依法履职，接受监督。',
			'密切联系群众',
			'"objectiveScore"',
			'12'
		])
			expect(text).not.toContain(secret);
		// Not a candidate, or not their attempt: nothing.
		expect(examResult(db, cadre(1).id, examId, attemptId)).toBeUndefined();
		expect(examResult(db, world.actors.s1.id, examId)).toBeUndefined();

		grade(world.actors.s1, examId, attemptId, [2, 1, 0], { comment: '第三点未答' });
		// Graded but not released: still nothing shown.
		expect(examResult(db, user, examId)!.attempts[0]).toMatchObject({ score: null, released: false });
		releaseResults(db, world.actors.s1, world.owners.school, examId, AFTER);

		const after = examResult(db, user, examId)!;
		expect(after.counted).toEqual({ attemptId, score: 15, passed: true });
		expect(after.review).toHaveLength(8);
		const essay = after.review!.find((i) => i.type === 'essay')!;
		expect(essay).toMatchObject({
			score: 3,
			points: 5,
			correct: null,
			responseText: '人大代表应当密切联系群众，依法履职。',
			answerText: '人大代表应当密切联系群众，依法履职，接受监督。',
			comments: ['第三点未答']
		});
		expect(essay.rubric).toHaveLength(3);
		expect(
			after.review!.filter((i) => i.type !== 'essay').every((i) => i.correct && i.score === i.points)
		).toBe(true);
		expect(JSON.stringify(after)).not.toContain('党校甲'); // no grader's name

		db.update(exams).set({ showReview: false }).where(eq(exams.id, examId)).run();
		expect(examResult(db, user, examId)).toMatchObject({ counted: { score: 15 }, review: null });
	});
});

describe('item analysis', () => {
	it('difficulty, discrimination, option counts and flags on a hand-computed example of eight candidates', () => {
		const singles = bankIds(db, world.modules.a, 'single');
		const [s1, s2] = [singles[0]!, singles[1]!];
		const t1 = bankIds(db, world.modules.a, 'truefalse')[0]!;
		const e1 = world.essays[0]!;
		const doc: PaperDoc = {
			sections: [
				{
					kind: 'fixed',
					title: '一、试题',
					instructions: '',
					items: [
						{ questionId: s1, points: 2 },
						{ questionId: s2, points: 2 },
						{ questionId: t1, points: 1 },
						{ questionId: e1, points: 5 }
					]
				}
			]
		};
		const paperId = makePaper(world, { doc, passMark: 6 });
		const examId = makeExam(world, paperId, NOW);
		assign(world, examId, { officeId: world.tree.city.id }, NOW);

		// Option texts as the bank holds them: the key and two distractors.
		const optionsOf = (id: number) => {
			const q = db.select().from(questions).where(eq(questions.id, id)).get()!;
			const options = JSON.parse(q.options) as string[];
			const key = JSON.parse(q.answer) as number;
			const wrong = options.filter((_, i) => i !== key);
			return { all: options, R: options[key]!, W1: wrong[0]!, W2: wrong[1]! };
		};
		const o1 = optionsOf(s1);
		const o2 = optionsOf(s2);
		// The table (R right, W1/W2 distractors; 简答 marks per scoring point):
		//        S1  S2  T1  简答 (marks)      total
		// c1     R   R   R   5   [2,2,1]        10
		// c2     R   W1  R   4.5 [2,2,0.5]       7.5
		// c3     R   R   R   3   [2,1,0]         8
		// c4     R   W1  R   2.5 [1,1,0.5]       5.5
		// c5     W1  R   R   2   [1,1,0]         5
		// c6     R   W2  R   1.5 [1,0.5,0]       4.5
		// c7     W1  R   R   0.5 [0.5,0,0]       3.5
		// c8     W2  R   R   —   (blank) [0,0,0] 3
		const table: [keyof typeof o1, keyof typeof o2, number[]][] = [
			['R', 'R', [2, 2, 1]],
			['R', 'W1', [2, 2, 0.5]],
			['R', 'R', [2, 1, 0]],
			['R', 'W1', [1, 1, 0.5]],
			['W1', 'R', [1, 1, 0]],
			['R', 'W2', [1, 0.5, 0]],
			['W1', 'R', [0.5, 0, 0]],
			['W2', 'R', [0, 0, 0]]
		];
		const candidates = everyone();
		const attemptIds = table.map(([a1, a2, marks], i) =>
			sit(world, candidates[i]!, examId, NOW, (item) => {
				if (item.questionId === s1) return item.snapshot.options.indexOf(o1[a1] as string);
				if (item.questionId === s2) return item.snapshot.options.indexOf(o2[a2] as string);
				if (item.questionId === t1) return rightResponse(item.snapshot);
				return marks.some((m) => m > 0) ? '人大代表应当密切联系群众。' : null;
			})
		);
		table.forEach(([, , marks], i) =>
			expect(grade(world.actors.s1, examId, attemptIds[i]!, marks).ok).toBe(true)
		);
		expect(attemptIds.map((id) => attemptRow(id).score)).toEqual([10, 7.5, 8, 5.5, 5, 4.5, 3.5, 3]);
		// Nothing before release.
		expect(itemAnalysis(db, world.owners.school, examId)).toEqual([]);
		expect(releaseResults(db, world.actors.s1, world.owners.school, examId, AFTER).ok).toBe(true);

		// n = 8, groups of round(0.27 × 8) = 2: upper c1 (10), c3 (8); lower c7 (3.5), c8 (3).
		const stats = itemAnalysis(db, world.owners.school, examId)!;
		expect(stats.map((s) => s.questionId)).toEqual([s1, s2, t1, e1]);
		const [st1, st2, st3, st4] = stats;
		// S1: right c1 c2 c3 c4 c6 = 5/8; upper 2/2, lower 0/2.
		expect(st1).toMatchObject({
			responses: 8,
			difficulty: 0.625,
			discrimination: 1,
			flags: [],
			type: 'single'
		});
		expect(st1!.optionCounts).toEqual(
			Object.fromEntries(o1.all.map((t) => [t, t === o1.R ? 5 : t === o1.W1 ? 2 : t === o1.W2 ? 1 : 0]))
		);
		// S2: right c1 c3 c5 c7 c8 = 5/8; upper 2/2, lower 2/2: D = 0, not discriminating.
		expect(st2).toMatchObject({ difficulty: 0.625, discrimination: 0, flags: ['not-discriminating'] });
		expect(st2!.optionCounts).toEqual(
			Object.fromEntries(o2.all.map((t) => [t, t === o2.R ? 5 : t === o2.W1 ? 2 : t === o2.W2 ? 1 : 0]))
		);
		// T1: everyone right: too easy, and not discriminating.
		expect(st3).toMatchObject({
			difficulty: 1,
			discrimination: 0,
			flags: ['too-easy', 'not-discriminating'],
			optionCounts: {}
		});
		// 简答: mean of score/5 = (1 + .9 + .6 + .5 + .4 + .3 + .1 + 0) / 8 = 0.475; upper (1 + .6)/2 = .8, lower (.1 + 0)/2 = .05.
		expect(st4!.type).toBe('essay');
		expect(st4!.difficulty).toBeCloseTo(0.475, 10);
		expect(st4!.discrimination).toBeCloseTo(0.75, 10);
		expect(st4!.flags).toEqual([]);

		// The bank page: the latest exam's figures per question.
		const bank = latestItemStats(db, [s1, e1, 999_999]);
		expect([...bank.keys()].sort()).toEqual([s1, e1].sort());
		expect(bank.get(s1)).toMatchObject({
			examTitle: '2025 年度应知应会考试',
			difficulty: 0.625,
			discrimination: 1
		});
		expect(latestItemStats(db, [s1], world.owners.lishi).size).toBe(0);
		// Another owner sees no analysis of this exam.
		expect(itemAnalysis(db, world.owners.lishi, examId)).toBeUndefined();
	});

	it('flags: too easy above 95 %, too hard below 20 %, not discriminating at 0.1 or less; none below 4 responses', () => {
		expect(itemFlags(0.96, 0.3)).toEqual(['too-easy']);
		expect(itemFlags(0.95, 0.3)).toEqual([]);
		expect(itemFlags(0.19, 0.11)).toEqual(['too-hard']);
		expect(itemFlags(0.2, 0.1)).toEqual(['not-discriminating']);
		expect(itemFlags(0.5, null)).toEqual([]);
	});
});

describe('dashboard', () => {
	it('participation, average, pass rate, histogram and the office roll-up against a hand count', () => {
		const { examId } = openExam(world, NOW, { essays: false }); // 12 points, pass mark 7
		const [zhang, li] = world.cadres.lishi;
		const [zhao] = world.cadres.xiaoyi;
		sit(world, zhang!.id, examId, NOW, 'right'); // 12
		sit(world, zhao!.id, examId, NOW, 'wrong'); // 0
		start(world, li!.id, examId, NOW); // writing

		const during = examDashboard(db, world.owners.school, examId, new Date(NOW.getTime() + 30 * MINUTE))!;
		expect(during).toMatchObject({
			assigned: 8,
			started: 3,
			submitted: 2,
			absent: 0,
			average: 6,
			passRate: 50
		});
		expect(during.histogram.map((b) => b.count)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
		expect(during.histogram[9]!.label).toBe('90–100%');
		expect(during.offices).toEqual([
			{
				officeId: world.tree.city.id,
				name: '吕梁市人大常委会',
				depth: 0,
				assigned: 8,
				submitted: 2,
				average: 6,
				passRate: 50
			},
			{
				officeId: world.tree.lishi.id,
				name: '离石区人大常委会',
				depth: 1,
				assigned: 4,
				submitted: 1,
				average: 12,
				passRate: 100
			},
			{
				officeId: world.tree.xiaoyi.id,
				name: '孝义市人大常委会',
				depth: 1,
				assigned: 3,
				submitted: 1,
				average: 0,
				passRate: 0
			}
		]);
		// Not submitted and not writing, in pinyin order; their window is still open.
		expect(during.absentees.map((a) => [a.name, a.windowOpen])).toEqual([
			['离石管理员', true],
			['钱七', true],
			['市人大管理员', true],
			['王五', true],
			['孝义管理员', true]
		]);

		// After the window: 李四's attempt is closed by the sweeper (0 points); five never sat it.
		finaliseOverdueExams(db, AFTER);
		const after = examDashboard(db, world.owners.school, examId, AFTER)!;
		expect(after).toMatchObject({
			assigned: 8,
			started: 3,
			submitted: 3,
			absent: 5,
			average: 4,
			passRate: 33.3
		});
		expect(after.absentees.every((a) => !a.windowOpen)).toBe(true);
		expect(after.offices[1]).toMatchObject({ assigned: 4, submitted: 2, average: 6, passRate: 50 });

		// Another owner: not found.
		expect(examDashboard(db, world.owners.lishi, examId, AFTER)).toBeUndefined();
	});

	it('an office’s exam rolls up from the owner office down', () => {
		const doc: PaperDoc = {
			sections: [
				{
					kind: 'fixed',
					title: '一',
					instructions: '',
					items: bankIds(db, world.modules.a, 'single')
						.slice(0, 3)
						.map((questionId) => ({ questionId, points: 2 }))
				}
			]
		};
		const own = { actor: world.actors.lishi, owner: world.owners.lishi };
		const paperId = makePaper(world, { doc, passMark: 4, ...own });
		const examId = makeExam(world, paperId, NOW, {}, own);
		assign(world, examId, { officeId: world.tree.lishi.id }, NOW, own);
		sit(world, world.cadres.lishi[0]!.id, examId, NOW, 'right');
		const board = examDashboard(db, world.owners.lishi, examId, NOW)!;
		expect(board.offices).toEqual([
			{
				officeId: world.tree.lishi.id,
				name: '离石区人大常委会',
				depth: 0,
				assigned: 4,
				submitted: 1,
				average: 6,
				passRate: 100
			}
		]);
		expect(examDashboard(db, world.owners.school, examId, NOW)).toBeUndefined();
	});

	it('催考 reminds only those who have not submitted while their window is open, once a day', () => {
		const { examId } = openExam(world, NOW, {
			essays: false,
			settings: { closesAt: new Date(NOW.getTime() + 30 * HOUR) }
		});
		sit(world, cadre(0).id, examId, NOW, 'right');
		start(world, cadre(1).id, examId, NOW);
		const remind = (at: Date) => remindAbsentees(db, world.actors.s1, world.owners.school, examId, at);

		expect(remind(NOW)).toEqual({ ok: true, value: { reminded: 6 } });
		const reminded = (userId: number) => noticesOf(userId).filter((n) => n.kind === 'remind');
		expect(reminded(cadre(0).id)).toEqual([]); // submitted
		expect(reminded(cadre(1).id)).toEqual([]); // writing
		expect(reminded(cadre(2).id)).toMatchObject([
			{ title: '请按时参加考试：“2025 年度应知应会考试”', href: `/exams/${examId}` }
		]);
		// The same Shanghai day: nobody again.
		expect(remind(new Date(NOW.getTime() + 2 * HOUR))).toEqual({ ok: true, value: { reminded: 0 } });
		// The next day (00:30 Shanghai): again (cadre 1's attempt has been closed by then).
		finaliseOverdueExams(db, new Date(NOW.getTime() + 14.5 * HOUR));
		expect(remind(new Date(NOW.getTime() + 14.5 * HOUR))).toEqual({ ok: true, value: { reminded: 6 } });
		expect(reminded(cadre(2).id)).toHaveLength(2);
		// After the window: nobody.
		expect(remind(new Date(NOW.getTime() + 31 * HOUR))).toEqual({ ok: true, value: { reminded: 0 } });
		const rows = audits('exam.remind');
		expect(rows).toHaveLength(4);
		expect(rows[0]).toMatchObject({
			actorUserId: world.actors.s1.id,
			schoolId: world.school.id,
			summary: '催考“2025 年度应知应会考试”：向 6 人发送提醒'
		});
		expect(remindAbsentees(db, world.actors.lishi, world.owners.lishi, examId, NOW).ok).toBe(false);
	});
});

describe('成绩单', () => {
	async function cells(stream: ReadableStream<Uint8Array>): Promise<unknown[][]> {
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load((await new Response(stream).arrayBuffer()) as unknown as ExcelJS.Buffer);
		const rows: unknown[][] = [];
		wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
		return rows;
	}

	it('one row per candidate with per-question scores; absentees as 缺考; no cell is a formula', async () => {
		db.update(users)
			.set({ name: '=HYPERLINK("http://x")' })
			.where(eq(users.id, cadre(4).id))
			.run();
		const { examId } = openExam(world, NOW, { essays: false });
		sit(world, cadre(0).id, examId, NOW, 'right');
		sit(world, cadre(4).id, examId, NOW, 'wrong');
		releaseResults(db, world.actors.s1, world.owners.school, examId, AFTER);
		const made = resultsExport(db, world.owners.school, examId, AFTER)!;
		expect(made.fileName).toContain('成绩单');
		const rows = await cells(xlsxStream(made.sheet));
		const header = rows.findIndex((r) => r[0] === '姓名');
		expect(rows[header]).toEqual([
			'姓名',
			'账号',
			'单位',
			'答卷编号',
			'交卷时间',
			'第1题',
			'第2题',
			'第3题',
			'第4题',
			'第5题',
			'第6题',
			'第7题',
			'总分',
			'是否及格',
			'离开页面次数'
		]);
		const body = rows.slice(header + 1);
		expect(body).toHaveLength(8);
		const byName = new Map(body.map((r) => [r[0], r]));
		const zhang = byName.get('张三')!;
		// Fixed items first (2, 2), then the drawn section in its shuffled order (three at 2, two at 1).
		expect(zhang.slice(5, 7)).toEqual([2, 2]);
		expect((zhang.slice(7, 12) as number[]).sort()).toEqual([1, 1, 2, 2, 2]);
		expect(zhang.slice(12)).toEqual([12, '及格', 0]);
		expect(zhang[3]).toBe(attemptRow(examResult(db, cadre(0).id, examId)!.counted!.attemptId).code);
		expect(byName.get('王五')!.slice(12)).toEqual(['缺考', '缺考', 0]);
		const evil = byName.get(`'=HYPERLINK("http://x")`)!;
		expect(evil.slice(12)).toEqual([0, '不及格', 0]);
		// Offices in tree order: the city's admin first, then 离石, then 孝义.
		expect(body.map((r) => r[2])).toEqual([
			'吕梁市人大常委会',
			...Array(4).fill('离石区人大常委会'),
			...Array(3).fill('孝义市人大常委会')
		]);
		expect(resultsExport(db, world.owners.lishi, examId, AFTER)).toBeUndefined();
	});

	it('the printable 成绩单 of one office: its candidates and those below it, within the exam’s offices only', () => {
		const { examId } = openExam(world, NOW, { essays: false });
		sit(world, cadre(0).id, examId, NOW, 'right');
		const sheet = printableResults(db, world.owners.school, examId, world.tree.lishi.id, AFTER)!;
		expect(sheet.office).toEqual({ id: world.tree.lishi.id, name: '离石区人大常委会' });
		expect(sheet.rows.map((r) => [r.name, r.total, r.result])).toEqual([
			['离石管理员', null, '缺考'],
			['李四', null, '缺考'],
			['王五', null, '缺考'],
			['张三', 12, '及格']
		]);
		expect(sheet.summary).toEqual({ assigned: 4, submitted: 1, absent: 3, average: 12, passRate: 100 });
		expect(printableResults(db, world.owners.school, examId, world.tree.city.id, AFTER)!.rows).toHaveLength(
			8
		);
		expect(printableResults(db, world.owners.lishi, examId, world.tree.lishi.id, AFTER)).toBeUndefined();
		expect(printableResults(db, world.owners.school, examId, 999_999, AFTER)).toBeUndefined();
	});
});
