import type { Db } from '../db';
import { syncContent } from '../content/sync';
import { seedStudyHistory } from './activity';
import { seedQuizHistory } from './quiz-activity';
import { seedCourses } from './course-activity';
import { seedStudySessions } from './study-sessions-activity';
import { seedReflections } from './reflections-activity';
import { seedLiveQuiz } from './live-activity';
import { seedAuthoring } from './authoring-demo';
import { seedExams } from './exam-demo';
import { seedReportReading } from './report-activity';
import { seedOutreach } from './outreach-activity';
import { seedOrganisation } from './index';

/**
 * Everything `npm run db:seed` loads. Later capabilities add their demo
 * activity here, after the organisation and content they build on.
 */
export async function seedDemo(db: Db, now = new Date()): Promise<string> {
	const org = await seedOrganisation(db);
	const content = syncContent(db, undefined, now);
	const lessonsDone = seedStudyHistory(db, now);
	// One outer transaction: the engine's own transactions become savepoints, and the
	// thousands of seeded answers cost one commit instead of one each.
	const quizzes = db.$client.transaction(() => seedQuizHistory(db, now))();
	const courseCompletions = seedCourses(db, now);
	const sessions = seedStudySessions(db, now);
	const reflectionCount = seedReflections(db, now);
	const lives = seedLiveQuiz(db, now);
	const authored = seedAuthoring(db);
	const examCount = seedExams(db, now);
	const reportReads = seedReportReading(db, now);
	const talks = await seedOutreach(db, now);
	const moduleCount = content.created + content.updated + content.unchanged;
	return `${org.offices} 个单位，${org.users} 个账号，内容 ${moduleCount} 项${lessonsDone ? `，${lessonsDone} 条学习记录` : ''}${quizzes ? `，${quizzes} 次答题` : ''}${courseCompletions ? `，${courseCompletions} 人次结业` : ''}${sessions ? `，${sessions} 场集中学习` : ''}${reflectionCount ? `，${reflectionCount} 篇心得体会` : ''}${lives ? `，${lives} 场现场答题` : ''}${authored ? `，${authored} 个自编模块` : ''}${examCount ? `，${examCount} 场考试` : ''}${reportReads ? `，${reportReads} 次读原文` : ''}${talks ? `，${talks} 场宣讲` : ''}`;
}
