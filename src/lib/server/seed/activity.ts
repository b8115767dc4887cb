import { asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { lessonProgress, lessons, modules, users } from '../db/schema';
import { MEMBER_ROLES } from '../access';
import { payLessonPoint } from '../learning/progress';
import { shanghaiDay, shanghaiMidnight } from '../time';
import { rng } from './people';

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 60;
// lishi.cadre studied on these days (days ago): a three-day streak up to yesterday.
const DEMO_CADRE_DAYS = [12, 9, 7, 5, 3, 2, 1];

interface Profile {
	/** Chance of studying on a given day. */
	studyChance: number;
	maxPerDay: number;
}

// Some very active, most moderate, some idle.
function profileFor(random: () => number): Profile {
	const roll = random();
	if (roll < 0.15) return { studyChance: 0.55, maxPerDay: 3 };
	if (roll < 0.75) return { studyChance: 0.18, maxPerDay: 2 };
	return { studyChance: 0.02, maxPerDay: 1 };
}

/**
 * A believable 60-day history of lesson completions and their points for the
 * demo cadres. Runs once: skipped when any progress exists already.
 */
export function seedStudyHistory(db: Db, now = new Date()): number {
	if (db.select().from(lessonProgress).limit(1).get()) return 0;
	const allLessons = db
		.select({
			id: lessons.id,
			title: lessons.title,
			minReadSeconds: lessons.minReadSeconds,
			moduleId: lessons.moduleId
		})
		.from(lessons)
		.innerJoin(modules, eq(modules.id, lessons.moduleId))
		.where(isNull(lessons.archivedAt))
		.orderBy(asc(modules.sortOrder), asc(lessons.sortOrder))
		.all();
	if (allLessons.length === 0) return 0;
	const moduleIds = [...new Set(allLessons.map((l) => l.moduleId))];
	const learners = db
		.select({ id: users.id, username: users.username, officeId: users.officeId })
		.from(users)
		.where(inArray(users.role, [...MEMBER_ROLES]))
		.orderBy(asc(users.id))
		.all();
	const random = rng(60);
	const today = shanghaiMidnight(shanghaiDay(now)).getTime();
	let written = 0;

	db.transaction((tx) => {
		for (const learner of learners) {
			const isDemoCadre = learner.username === 'lishi.cadre';
			const profile = isDemoCadre ? { studyChance: 1, maxPerDay: 1 } : profileFor(random);
			// Not everyone starts with the first module.
			const start = isDemoCadre ? 0 : Math.floor(random() * moduleIds.length);
			const order = [...moduleIds.slice(start), ...moduleIds.slice(0, start)].flatMap((m) =>
				allLessons.filter((l) => l.moduleId === m)
			);
			let next = 0;
			for (let daysAgo = HISTORY_DAYS; daysAgo >= 1 && next < order.length; daysAgo--) {
				const studies = isDemoCadre ? DEMO_CADRE_DAYS.includes(daysAgo) : random() < profile.studyChance;
				if (!studies) continue;
				const count = 1 + Math.floor(random() * profile.maxPerDay);
				let at = today - daysAgo * DAY_MS + (8 + random() * 12) * 3_600_000;
				for (let i = 0; i < count && next < order.length; i++) {
					// The demo cadre keeps a few lessons of the second module for the tour.
					if (isDemoCadre && next >= 7) break;
					const lesson = order[next++]!;
					const openedAt = new Date(at - (lesson.minReadSeconds + 30 + random() * 240) * 1000);
					const completedAt = new Date(at);
					tx.insert(lessonProgress)
						.values({
							userId: learner.id,
							lessonId: lesson.id,
							openedAt,
							completedAt,
							completedDay: shanghaiDay(completedAt)
						})
						.run();
					payLessonPoint(tx, learner, lesson, completedAt);
					written++;
					at += (5 + random() * 20) * 60_000;
				}
			}
		}
	});
	return written;
}
