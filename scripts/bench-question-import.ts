// npm run bench:question-import — how long a large question bank takes to read and preview
// (issue #16: a 5,000-question Excel file previews in under 10 s). Generates an .xlsx of
// BENCH_QUESTIONS (5000) questions of the four types in the template's columns, as exceljs
// (like Excel) writes it, then measures in this process:
//   parse   — parseSheet: the bounded .xlsx reading and the rows turned into questions;
//   preview — what the import page does on upload: stageImport (read, check every question
//             against the draft, find duplicates, stage) and the preview's first page.
// Each is run BENCH_RUNS (3) times on a fresh draft; the first (cold) run and the median are
// printed as one JSON line on stdout (seconds); progress goes to stderr.
import ExcelJS from 'exceljs';
import { createDb, migrateDb } from '../src/lib/server/db';
import { schools, themes, users } from '../src/lib/server/db/schema';
import { auditActor } from '../src/lib/server/audit';
import { createDraft, saveLesson } from '../src/lib/server/authoring';
import { userNameFields } from '../src/lib/server/users/name-key';
import { parseSheet, SHEET_COLUMNS } from '../src/lib/server/question-bank/sheet';
import { importPreview, stageImport } from '../src/lib/server/question-bank/import';

const QUESTIONS = Number(process.env.BENCH_QUESTIONS || 5000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const LESSONS = [
	'全过程人民民主',
	'全面依法治国',
	'推进健康中国建设',
	'全面推进乡村振兴',
	'办好人民满意的教育'
];
const progress = (message: string) => process.stderr.write(`${message}\n`);

/** Text of about `n` characters that differs per question (so no two stems are duplicates). */
function text(i: number, n: number, topic: string): string {
	const base = `第${i + 1}题：关于${topic}，党的二十大报告强调要坚持以人民为中心的发展思想，`;
	return (base + '不断实现人民对美好生活的向往，推进国家治理体系和治理能力现代化。'.repeat(4)).slice(0, n);
}

/** One template row of question `i`: the four types in turn, realistic lengths. */
function questionRow(i: number): string[] {
	const lesson = LESSONS[i % LESSONS.length]!;
	const stem = text(i, 70, lesson);
	const options = (count: number) =>
		Array.from({ length: 8 }, (_, k) => (k < count ? `${lesson}的第${k + 1}个要点（${i}）` : ''));
	const explanation = text(i, 90, `${lesson}的原文`);
	const rest = [explanation, ['易', '中', '难'][i % 3]!, lesson, `报告第${(i % 15) + 1}部分`];
	switch (i % 4) {
		case 0:
			return ['单选', `${stem}（\u3000）`, ...options(4), 'ABCD'[(i >> 2) % 4]!, ...rest];
		case 1:
			return ['多选', `${stem}（\u3000）`, ...options(5), 'ACD', ...rest];
		case 2:
			return ['判断', stem, ...options(0), i % 3 ? '对' : '错', ...rest];
		default:
			return [
				'填空',
				`${stem}，坚持____、____。`,
				...options(0),
				'人民至上｜以人民为中心；自信自立',
				...rest
			];
	}
}

async function benchFile(): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	const sheet = wb.addWorksheet('题目');
	sheet.addRow([...SHEET_COLUMNS]);
	for (let i = 0; i < QUESTIONS; i++) sheet.addRow(questionRow(i));
	return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** A database with a school, its author and an empty draft with the lessons. */
function world() {
	const db = createDb(':memory:');
	migrateDb(db);
	const school = db.insert(schools).values({ name: '中共吕梁市委党校' }).returning().get();
	const theme = db.insert(themes).values({ slug: 'bench', name: '全过程人民民主' }).returning().get();
	const user = db
		.insert(users)
		.values({
			username: 'bench.author',
			role: 'school_admin',
			schoolId: school.id,
			passwordHash: 'x',
			...userNameFields('出题人')
		})
		.returning()
		.get();
	const actor = auditActor(user, '127.0.0.1');
	return { db, user, actor, themeId: theme.id };
}

function newDraft(w: ReturnType<typeof world>): number {
	const created = createDraft(w.db, w.actor, {
		title: '题库导入测试',
		themeId: String(w.themeId),
		summary: '五千道题的导入测试',
		minutes: '30',
		creditHours: '0',
		inCatalog: 'on',
		intro: ''
	});
	if (!created.ok) throw new Error(JSON.stringify(created.errors));
	for (const title of LESSONS) {
		const saved = saveLesson(w.db, w.actor, created.id, null, {
			title,
			kind: 'text',
			body: `${title}的课文。`
		});
		if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
	}
	return created.id;
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
	progress(`generating ${QUESTIONS} questions…`);
	const bytes = await benchFile();
	progress(`file: ${(bytes.length / 1024 / 1024).toFixed(2)} MB`);

	const parse: number[] = [];
	for (let run = 0; run < RUNS; run++) {
		const started = performance.now();
		const { questions, problems } = await parseSheet('题库.xlsx', bytes);
		parse.push(performance.now() - started);
		if (questions.length !== QUESTIONS || problems.length)
			throw new Error(`read ${questions.length} questions, ${problems.length} problems`);
		progress(`parse run ${run + 1}: ${seconds(parse.at(-1)!)} s`);
	}

	const w = world();
	const preview: number[] = [];
	for (let run = 0; run < RUNS; run++) {
		const draftId = newDraft(w);
		const started = performance.now();
		const staged = await stageImport(w.db, w.actor, draftId, { kind: 'file', fileName: '题库.xlsx', bytes });
		if (!staged.ok) throw new Error(JSON.stringify(staged.errors));
		const shown = importPreview(w.db, w.user, draftId, staged.token);
		preview.push(performance.now() - started);
		// A draft holds at most 500 questions: the rest are counted as over the limit.
		if (!shown || shown.ready + shown.problems + shown.overLimit !== QUESTIONS || shown.problems)
			throw new Error(`preview: ${JSON.stringify({ ...shown, items: undefined })}`);
		progress(
			`preview run ${run + 1}: ${seconds(preview.at(-1)!)} s (${shown.ready} ready, ${shown.overLimit} over the limit)`
		);
	}

	console.log(
		JSON.stringify({
			questions: QUESTIONS,
			file_mb: Number((bytes.length / 1024 / 1024).toFixed(2)),
			parse_first_s: seconds(parse[0]!),
			parse_median_s: seconds(median(parse)),
			preview_first_s: seconds(preview[0]!),
			preview_median_s: seconds(median(preview)),
			target_s: 10
		})
	);
}

await main();
