import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { reportReading, users } from '../db/schema';
import { MEMBER_ROLES } from '../access';
import { completeReportPart, openReportPart, reportReadSeconds } from '../report/reading';
import { loadReport } from '../report/text';
import { rng } from './people';

const DAY_MS = 86_400_000;
// lishi.cadre read these parts of the 原文: the opening, the mission (三) and 人民民主 (六).
const DEMO_CADRE_PARTS = [0, 3, 6];

/**
 * Demo reading of the report's 原文 over the last 30 days, through the reader's own rule (opened,
 * then completed after the part's minimum reading time, with its points): about a third of the
 * demo cadres read a few parts, the parts about 人大 work more often. Runs once.
 */
export function seedReportReading(db: Db, now = new Date()): number {
	if (db.select().from(reportReading).limit(1).get()) return 0;
	const report = loadReport();
	const random = rng(2022_10_16);
	const readers = db
		.select({ id: users.id, username: users.username, officeId: users.officeId })
		.from(users)
		.where(inArray(users.role, [...MEMBER_ROLES]))
		.orderBy(asc(users.id))
		.all()
		.filter((u) => u.username === 'lishi.cadre' || random() < 0.35);
	// Parts cadres of 人大 organs turn to first: 开篇, 三, 六, 七, then the rest.
	const favoured = [0, 3, 6, 7, 16, 15, 4, 9];
	let count = 0;
	for (const reader of readers) {
		const parts =
			reader.username === 'lishi.cadre'
				? DEMO_CADRE_PARTS
				: [
						...new Set(
							Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
								random() < 0.7 ? favoured[Math.floor(random() * favoured.length)]! : Math.floor(random() * 17)
							)
						)
					];
		for (const part of parts) {
			const opened = new Date(now.getTime() - (1 + Math.floor(random() * 30)) * DAY_MS);
			openReportPart(db, reader.id, part, opened);
			const seconds = reportReadSeconds(report.parts[part]!.length);
			const done = completeReportPart(db, reader, part, new Date(opened.getTime() + (seconds + 60) * 1000));
			if (done.ok) count++;
		}
	}
	return count;
}
