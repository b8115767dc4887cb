import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { modules, offices, reflections, users } from '../db/schema';
import { comment, markExcellent, saveReflection } from '../reflections';

const OPENINGS = [
	'通过集中收看开幕会和连日来的原文学习，我对报告关于全过程人民民主的论述有了更深的理解。',
	'这次专题学习让我认识到，学深悟透报告精神，关键在于联系人大工作实际、在履职中见行见效。',
	'跟着领学把报告相关部分读了三遍，边读边做笔记，越读越觉得报告的提法字字千钧。'
];
const MIDDLES = [
	'全过程人民民主是社会主义民主政治的本质属性，落到我们日常工作中，就是要把代表联络站建好用好，让群众的意见建议有地方说、有人听、有回音。去年我们在联络站接待选民时收集到的供水、道路问题，经过常委会跟踪督办，大部分已经解决，群众的获得感很实在。',
	'坚持科学立法、民主立法、依法立法，对我们设区的市来说，就是每一部地方性法规都要广泛听取基层意见，让立法联系点真正发挥“直通车”作用。作为机关干部，我要在征求意见、整理汇总这些基础工作上下足功夫。',
	'报告强调最艰巨最繁重的任务仍然在农村。我们开展乡村振兴专项监督时，不能只看汇报材料，更要走进田间地头，听取村民和基层代表的真实声音，把发现的问题梳理清楚、督促整改到位。'
];
const REFLECT =
	'对照报告要求查找差距，我感到自己在调查研究、联系群众方面还有不足，今后要多到基层走一走，多听代表和群众怎么说。';
const CLOSINGS = [
	'下一步，我将坚持读原文、悟原理，把学习成果转化为做好本职工作的实际行动，为建设美丽幸福吕梁贡献自己的力量。',
	'今后我要在学懂弄通做实上下功夫，主动到代表联络站参加宣讲，用群众听得懂的语言把报告精神讲明白、讲透彻。'
];

/** A dozen reflections from cadres of three offices, some commented on and marked excellent. Runs once. */
export function seedReflections(db: Db, now = new Date()): number {
	if (db.select({ id: reflections.id }).from(reflections).limit(1).get()) return 0;
	const officeIds = db
		.select({ id: offices.id, code: offices.code })
		.from(offices)
		.where(inArray(offices.code, ['lvliang', 'lishi', 'xiaoyi']))
		.all();
	const mods = db.select({ id: modules.id, title: modules.title }).from(modules).all();
	let n = 0;
	for (const [i, office] of officeIds.entries()) {
		const admin = db
			.select()
			.from(users)
			.where(eq(users.username, office.code === 'xiaoyi' ? 'lvliang.admin' : `${office.code}.admin`))
			.get();
		const authors = db
			.select()
			.from(users)
			.where(eq(users.officeId, office.id))
			.all()
			.filter((u) => u.role === 'cadre')
			.slice(0, 4);
		for (const [j, author] of authors.entries()) {
			const k = i * 4 + j;
			const body = [
				OPENINGS[k % 3],
				MIDDLES[(k + 1) % 3],
				MIDDLES[(k + 2) % 3],
				REFLECT,
				CLOSINGS[k % 2]
			].join('\n\n');
			const mod = mods[k % mods.length]!;
			const saved = saveReflection(
				db,
				{ id: author.id, role: 'cadre', officeId: author.officeId },
				{ title: `学习《${mod.title.slice(0, 12)}》的体会`, body, moduleId: String(mod.id) },
				true,
				undefined,
				new Date(now.getTime() - (20 - k) * 86_400_000)
			);
			if (!saved.ok || !admin) continue;
			n++;
			const actor = {
				id: admin.id,
				name: admin.name,
				role: 'office_admin' as const,
				officeId: admin.officeId
			};
			if (j < 2) {
				comment(db, actor, saved.id, '联系工作实际，体会深刻，值得大家学习。');
				markExcellent(db, actor, saved.id, true);
			}
		}
	}
	return n;
}
