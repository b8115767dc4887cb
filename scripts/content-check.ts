// npm run content:check [-- <module folder>…] — checks content/ (or CONTENT_DIR) as the sync would,
// without a database: every 提法 against the report, the question rules, the lesson shape. With
// folders, only those modules are checked (while writing one).
import { ContentError, readPack } from '../src/lib/server/content/pack';
import { contentDir } from '../src/lib/server/content/sync';

const only = process.argv.slice(2);
try {
	const pack = readPack(contentDir(), only.length ? only : undefined);
	const lessons = pack.modules.reduce((n, m) => n + m.lessons.length, 0);
	const questions = pack.modules.reduce((n, m) => n + m.questions.length, 0);
	console.log(`内容包无误：${pack.modules.length} 个模块，${lessons} 节课程，${questions} 道题`);
} catch (e) {
	if (!(e instanceof ContentError)) throw e;
	console.error(e.message);
	process.exit(1);
}
