// 宣讲 in the board benchmark's database, so the dashboard's talk figures and latest talks are
// measured on a realistic table: three places per office and TALKS_PER_OFFICE submitted talks
// each over the benchmark's days (a busy year: ~3 a week per office), two member speakers each,
// a photo row for every other talk (rows only: the benchmark never fetches the image).
import type Database from 'better-sqlite3';

const TALKS_PER_OFFICE = 150;
const FORMATS = ['lecture', 'door_to_door', 'forum', 'other'] as const;
const DAY_MS = 86_400_000;

export function generateTalks(
	sqlite: Database.Database,
	o: { offices: number; perOffice: number; days: number; now: Date },
	random: () => number
): number {
	const fakeSha = (n: number, kind: string) => `${kind}${n.toString(16)}`.padEnd(64, '0');
	const shanghaiDay = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
	let talks = 0;
	sqlite.transaction(() => {
		const place = sqlite.prepare(
			`INSERT INTO outreach_places (office_id, name, township, kind, created_at, updated_at)
			VALUES (?, ?, '', ?, 0, 0) RETURNING id`
		);
		const talk = sqlite.prepare(
			`INSERT INTO outreach_talks (office_id, recorded_by, status, held_at, day, place_id, format, audience,
				summary, created_at, updated_at, submitted_at)
			VALUES (?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
		);
		const speaker = sqlite.prepare(
			'INSERT OR IGNORE INTO outreach_talk_speakers (talk_id, user_id) VALUES (?, ?)'
		);
		const photo = sqlite.prepare(
			`INSERT INTO outreach_photos (talk_id, position, sha256, thumb_sha256, width, height, size, uploaded_by, uploaded_at)
			VALUES (?, 1, ?, ?, 2048, 1536, 400000, ?, ?)`
		);
		for (let office = 1; office <= o.offices; office++) {
			const places = ['联络站', '村', '社区'].map(
				(name, i) =>
					(
						place.get(office, `测试单位${office}${name}`, ['liaison_station', 'village', 'community'][i]) as {
							id: number;
						}
					).id
			);
			const firstUser = (office - 1) * o.perOffice + 1;
			for (let i = 0; i < TALKS_PER_OFFICE; i++) {
				const at = o.now.getTime() - Math.floor(random() * o.days) * DAY_MS - 3_600_000;
				const recorder = firstUser + Math.floor(random() * o.perOffice);
				const id = (
					talk.get(
						office,
						recorder,
						at,
						shanghaiDay(at),
						places[i % 3],
						FORMATS[i % 4],
						20 + Math.floor(random() * 200),
						'在联络站宣讲党的二十大精神，结合人大工作实际讲解报告，听取群众意见建议并登记转交。',
						at,
						at,
						at
					) as { id: number }
				).id;
				speaker.run(id, recorder);
				speaker.run(id, firstUser + Math.floor(random() * o.perOffice));
				if (i % 2 === 0) photo.run(id, fakeSha(id, 'a'), fakeSha(id, 'b'), recorder, at);
				talks++;
			}
		}
	})();
	return talks;
}
