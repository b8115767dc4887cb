// npm run content:sync — loads content/ (or CONTENT_DIR) into DATABASE_URL, idempotently.
import { createDb, DEFAULT_DATABASE_URL, migrateDb } from '../src/lib/server/db';
import { ContentError } from '../src/lib/server/content/pack';
import { contentDir, syncContent } from '../src/lib/server/content/sync';

const db = createDb(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
migrateDb(db);
try {
	const s = syncContent(db);
	console.log(
		`内容已同步（${contentDir()}）：新增 ${s.created}，更新 ${s.updated}，归档 ${s.archived}，未变 ${s.unchanged}`
	);
} catch (e) {
	if (!(e instanceof ContentError)) throw e;
	console.error(e.message);
	process.exit(1);
}
