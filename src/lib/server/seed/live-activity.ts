import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { liveQuizzes, modules, users } from '../db/schema';
import { advance, answerLive, createLive, getLive, joinLive } from '../live';
import type { QuestionSnapshot, Response } from '../quiz/questions';
import { rng } from './people';

/** One finished live quiz of 离石区, played through the engine at the time of its last session. Runs once. */
export function seedLiveQuiz(db: Db, now = new Date()): number {
	if (db.select({ id: liveQuizzes.id }).from(liveQuizzes).limit(1).get()) return 0;
	const host = db.select().from(users).where(eq(users.username, 'lishi.admin')).get();
	const mod = db.select().from(modules).where(eq(modules.slug, 'whole-process-democracy')).get();
	if (!host?.officeId || !mod) return 0;
	const actor = { id: host.id, name: host.name, role: 'office_admin' as const, officeId: host.officeId };
	const created = createLive(
		db,
		actor,
		{ moduleId: mod.id, count: 5, seconds: 20, speedBonus: true },
		new Date(now.getTime() - 12 * 86_400_000)
	);
	if (!created.ok) return 0;
	const random = rng(5);
	const players = db
		.select()
		.from(users)
		.where(eq(users.officeId, host.officeId))
		.all()
		.filter((u) => u.role === 'cadre')
		.slice(0, 12);
	for (const p of players) joinLive(db, { id: p.id, officeId: p.officeId }, created.pin);
	let t = now.getTime() - 12 * 86_400_000 + 3_600_000;
	for (let i = 0; i < 5; i++) {
		advance(db, actor, created.id, 'next', new Date(t));
		const live = getLive(db, created.id)!;
		const q = (JSON.parse(live.questions) as QuestionSnapshot[])[live.currentIndex]!;
		const right: Response =
			q.type === 'fill' ? (q.answer as string[][]).map((a) => a[0]!) : (q.answer as Response);
		const wrong: Response =
			q.type === 'single'
				? ((q.answer as number) + 1) % q.options.length
				: q.type === 'truefalse'
					? !q.answer
					: q.type === 'multiple'
						? [0]
						: ['不记得'];
		for (const p of players)
			answerLive(db, p, created.id, random() < 0.7 ? right : wrong, new Date(t + (2 + random() * 15) * 1000));
		advance(db, actor, created.id, 'reveal', new Date(t + 21_000));
		t += 60_000;
	}
	advance(db, actor, created.id, 'finish', new Date(t));
	return 1;
}
