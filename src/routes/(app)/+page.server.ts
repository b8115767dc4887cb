import { getDb } from '$lib/server/db';
import { isMemberRole } from '$lib/server/access';
import { getOffice } from '$lib/server/org/offices';
import { getSchool } from '$lib/server/org/schools';
import { continueTarget } from '$lib/server/learning/catalog';
import { studyStreak } from '$lib/server/learning/progress';
import { sumPoints, totalPoints } from '$lib/server/points/ledger';
import { greeting, shanghaiDay } from '$lib/server/time';
import { taskCards, yearHours } from '$lib/server/courses/views';
import { isCheckinOpen, studySessionsForUser } from '$lib/server/study-sessions';
import { myExams } from '$lib/server/exams';
import { examCard } from '$lib/exam-candidate';
import { dailyStatus } from '$lib/server/quiz/overview';
import { backupHealth } from '$lib/server/backups';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const user = locals.user!;
	const db = getDb();
	const now = new Date();
	const office = user.officeId ? getOffice(db, user.officeId) : undefined;
	const school = user.schoolId ? getSchool(db, user.schoolId) : undefined;
	const next = continueTarget(db, user);
	// Courses are assigned to learners (cadres and office admins); others have no tasks or 学时.
	const learner = isMemberRole(user.role);
	const studySessions = studySessionsForUser(db, user.officeId, now, 3);
	// Exams open now (or running) and the ones coming up: the list puts them first.
	const exams = myExams(db, user.id, now)
		.filter((e) => e.state === 'open' || e.state === 'running' || e.state === 'upcoming')
		.map(examCard);
	return {
		exams: exams.slice(0, 3),
		moreExams: exams.length > 3,
		studySessions,
		checkinOpen: studySessions.some((s) => isCheckinOpen(s, now)),
		greeting: greeting(now),
		orgName: office?.name ?? school?.name ?? null,
		role: user.role,
		todayPoints: sumPoints(db, user.id, shanghaiDay(now)),
		totalPoints: totalPoints(db, user.id),
		streak: studyStreak(db, user.id, now),
		next: next && {
			title: next.title,
			doneCount: next.doneCount,
			lessonCount: next.lessonCount,
			started: next.status === 'in-progress',
			href: next.href,
			lessonTitle: next.lessonTitle
		},
		learner,
		// The sysadmin sees a failed or overdue backup on their home too (in full on /admin/backups).
		backupHealth: user.role === 'sysadmin' ? backupHealth(db, now) : null,
		// 每日一练 today (the wrong-book reviews due come with the layout's data: reviewDue).
		daily: dailyStatus(db, user.id, now),
		// 最近的任务: the first unfinished one by due date (overdue ones come first).
		task: learner ? (taskCards(db, user.id, now).find((t) => t.status !== 'done') ?? null) : null,
		yearHours: learner ? yearHours(db, user.id, now) : null
	};
};
