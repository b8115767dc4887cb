import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { modules, offices, studySessions, users } from '../db/schema';
import { checkIn, checkinCode, saveMinutes, scheduleStudySession } from '../study-sessions';
import { shanghaiDay } from '../time';
import { rng } from './people';

const DAY = 86_400_000;

/**
 * Collective study sessions in the spirit of the source report: past ones with
 * attendance (checked in with the real codes at the time) and minutes for
 * 吕梁市, 离石区 and 孝义市, and an upcoming one for 离石区. Runs once.
 */
export function seedStudySessions(db: Db, now = new Date()): number {
	if (db.select({ id: studySessions.id }).from(studySessions).limit(1).get()) return 0;
	const random = rng(1016);
	const moduleId = (slug: string) =>
		String(db.select({ id: modules.id }).from(modules).where(eq(modules.slug, slug)).get()?.id ?? '');
	const plan = [
		{
			office: 'lishi',
			admin: 'lishi.admin',
			daysAgo: 12,
			title: '党组理论学习中心组集中学习：全过程人民民主',
			module: 'whole-process-democracy',
			minutes:
				'领学报告第六部分。与会同志结合代表联络站工作交流了心得，提出把群众意见收集、转办、反馈形成闭环。会议要求各代表工委下月前报送联络站工作台账。'
		},
		{
			office: 'lvliang',
			admin: 'lvliang.admin',
			daysAgo: 20,
			title: '学习宣传贯彻党的二十大精神专题研讨',
			module: 'chinese-modernization',
			minutes:
				'围绕“五个牢牢把握”开展专题研讨，审议通过学习宣传贯彻实施方案，部署到各县（市、区）人大常委会。'
		},
		{
			office: 'xiaoyi',
			admin: 'lvliang.admin',
			daysAgo: 6,
			title: '集中学习：民生实事项目人大代表票决制',
			module: 'whole-process-democracy',
			minutes:
				'学习报告相关论述，交流乡镇民生实事项目票决制的做法，明确年初交单、年中督办、年末评议的工作闭环。'
		},
		{
			office: 'lishi',
			admin: 'lishi.admin',
			daysAgo: -1,
			title: '集中学习：全面推进乡村振兴',
			module: 'rural-revitalization',
			minutes: ''
		}
	];
	let count = 0;
	for (const p of plan) {
		const office = db.select().from(offices).where(eq(offices.code, p.office)).get();
		const admin = db.select().from(users).where(eq(users.username, p.admin)).get();
		if (!office || !admin) continue;
		const day = shanghaiDay(new Date(now.getTime() - p.daysAgo * DAY));
		const scheduledAt = new Date(Math.min(now.getTime(), now.getTime() - (p.daysAgo + 3) * DAY));
		const actor = { id: admin.id, name: admin.name, role: 'office_admin' as const, officeId: office.id };
		const scheduled = scheduleStudySession(
			db,
			actor,
			{
				title: p.title,
				day,
				start: '09:00',
				end: '12:00',
				place: '机关会议室',
				leader: '常委会党组成员',
				hours: '3',
				moduleIds: [moduleId(p.module)]
			},
			scheduledAt
		);
		if (!scheduled.ok) continue;
		count++;
		if (p.daysAgo <= 0) continue;
		const session = db.select().from(studySessions).where(eq(studySessions.id, scheduled.id)).get()!;
		const members = db.select({ id: users.id }).from(users).where(eq(users.officeId, office.id)).all();
		for (const m of members) {
			if (random() < 0.15) continue; // a few were away
			const at = new Date(session.startsAt.getTime() + random() * 20 * 60_000);
			checkIn(db, { id: m.id, officeId: office.id }, session.id, checkinCode(session, at), at);
		}
		saveMinutes(db, actor, session.id, p.minutes);
	}
	return count;
}
