import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { letterWarning } from '../../lesson-editor';
import { plainTextOf, readingLength, renderMarkdown } from './render';
import { loadReport, numeralValue, reportPart, CLOSING, OPENING, type Report } from '../report/text';
import { citationProblem, citedPlaces, findParagraph, reportQuotations, parseCitation, quotationProblem, tifaProblems, withWhereItIs } from '../report/cite';

/**
 * Reads and checks the content pack (content/FORMAT.md). Every problem is
 * collected with the file it is in; a pack with any problem is rejected whole.
 */

export interface ContentProblem {
	file: string;
	message: string;
}

export class ContentError extends Error {
	constructor(public problems: ContentProblem[]) {
		super('内容包有误，未做任何更改：\n' + problems.map((p) => `- ${p.file}：${p.message}`).join('\n'));
	}
}

/** Slugs of modules written in the app: `a<draft id>` and `a<draft id>-<key>` (authoring/doc.ts). */
export const AUTHORED_SLUG = /^a\d+(-|$)/;

const slug = z
	.string()
	.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'slug 只能是小写字母、数字和连字符' })
	.refine((s) => !AUTHORED_SLUG.test(s), {
		error: 'slug 不能以“a+数字”开头（如 a12、a12-l1）：这样的 slug 留给应用内编写的模块，请换一个'
	});

const themeSchema = z.object({ slug, name: z.string().min(1), order: z.number().int() });

const quizSchema = z.object({
	draw: z.number().int().min(1).max(100),
	time_limit_minutes: z.number().int().min(1).max(180),
	pass_mark: z.number().int().min(1).max(100),
	attempts: z.number().int().min(0).max(100),
	shuffle_questions: z.boolean(),
	shuffle_options: z.boolean(),
	show_answers: z.boolean()
});

const moduleSchema = z.object({
	slug,
	theme: slug,
	title: z.string().min(1),
	summary: z.string().min(1).max(120),
	minutes: z.number().int().positive(),
	order: z.number().int(),
	quiz: quizSchema
});

const lessonSchema = z.object({
	slug,
	title: z.string().min(1),
	order: z.number().int(),
	// Where in the report the lesson stands, or (a supplementary lesson, not report text) its sources.
	source: z.union([
		z.object({
			part: z.string().min(1),
			heading: z.string().min(1),
			section: z.string().optional(),
			paragraph: z.number().int().positive()
		}),
		z.object({ supplement: z.array(z.string().min(1)).min(1, { error: '补充材料至少写明一个出处' }) })
	])
});

const letter = z.string().regex(/^[A-F]$/, { error: '答案应为 A–F 的字母' });
const questionSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('single'), options: z.array(z.coerce.string()).min(2).max(6), answer: letter }),
	z.object({ type: z.literal('multiple'), options: z.array(z.coerce.string()).min(2).max(6), answer: z.array(letter).min(2) }),
	z.object({ type: z.literal('truefalse'), answer: z.boolean({ error: '判断题答案应为 true 或 false' }) }),
	z.object({ type: z.literal('fill'), blanks: z.array(z.array(z.coerce.string().min(1)).min(1)).min(1) })
]);
const questionBase = z.object({
	id: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: '题目 id 只能是字母、数字、_ 或 -' }),
	lesson: slug,
	stem: z.string().min(1),
	explanation: z.string().min(1),
	// The paragraph the question is grounded in (第三部分 · 第14段); required for report lessons.
	source: z.string().min(1).optional(),
	// A question that applies the report to a situation in 人大 work (情境题), not recall of a phrase.
	applied: z.boolean().optional()
});

export type QuizDefaults = z.infer<typeof quizSchema>;
export type PackTheme = z.infer<typeof themeSchema>;

export interface PackLesson {
	file: string;
	meta: z.infer<typeof lessonSchema>;
	body: string;
	hash: string;
}

export type QuestionAnswer = number | number[] | boolean | string[][];

export interface PackQuestion {
	file: string;
	id: string;
	lesson: string;
	type: 'single' | 'multiple' | 'truefalse' | 'fill';
	stem: string;
	options: string[];
	answer: QuestionAnswer;
	explanation: string;
	/** The report paragraph cited (第三部分 · 第14段), or '' for a supplementary lesson's question. */
	source: string;
	applied: boolean;
	hash: string;
}

export interface PackModule {
	file: string;
	meta: z.infer<typeof moduleSchema>;
	intro: string;
	hash: string;
	lessons: PackLesson[];
	questions: PackQuestion[];
}

export interface ContentPack {
	themes: PackTheme[];
	modules: PackModule[];
}

export const BLANK = '____';

/** lessons.source_part of a supplementary lesson (not report text; its sources in source_heading). */
export const SUPPLEMENT_PART = '补充材料';

export function hashOf(value: unknown): string {
	return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

function issueText(error: z.ZodError): string {
	return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}：${i.message}` : i.message)).join('；');
}

/** Splits `---` front matter from a Markdown file. */
function frontMatter(text: string): { data: unknown; body: string } | null {
	const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
	if (!match) return null;
	return { data: parseYaml(match[1]!), body: match[2]!.trim() };
}

/** Collects the pack's problems, each with its file named relative to the pack. */
interface Problems {
	list: ContentProblem[];
	rel: (path: string) => string;
	report: (path: string, message: string) => void;
	/** The file read by `read`, or undefined (and a problem) when it cannot be parsed. */
	parseFile: <T>(path: string, read: () => T) => T | undefined;
}

function collectProblems(dir: string): Problems {
	const list: ContentProblem[] = [];
	const rel = (path: string) => relative(dir, path) || path;
	const report = (path: string, message: string) => {
		list.push({ file: rel(path), message });
	};
	function parseFile<T>(path: string, read: () => T): T | undefined {
		try {
			return read();
		} catch (e) {
			report(path, `无法解析：${(e as Error).message.split('\n')[0]}`);
			return undefined;
		}
	}
	return { list, rel, report, parseFile };
}

/** `only`: check just these module folders (npm run content:check -- <folder>…), as an author does while writing. */
export function readPack(dir: string, only?: string[]): ContentPack {
	if (!existsSync(dir)) throw new ContentError([{ file: dir, message: '内容目录不存在' }]);
	const problems = collectProblems(dir);
	const themes = readThemes(join(dir, 'themes.yaml'), problems);
	const modules: PackModule[] = [];
	// Lesson slugs are unique across the whole pack, not just within a module.
	const lessonFiles = new Map<string, string>();
	const report = loadReport(dir);
	// report/ holds the report's text (report.md), not a module.
	const folders = readdirSync(dir)
		.filter((n) => n !== REPORT_FOLDER && statSync(join(dir, n)).isDirectory() && (!only || only.includes(n)))
		.sort();
	for (const folder of folders) {
		const packModule = readModule(join(dir, folder), { themes, modules, lessonFiles, report }, problems);
		if (packModule) modules.push(packModule);
	}
	if (modules.length === 0 && problems.list.length === 0) problems.list.push({ file: problems.rel(dir), message: '内容包中没有模块' });
	if (problems.list.length) throw new ContentError(problems.list);
	modules.sort((a, b) => a.meta.order - b.meta.order);
	return { themes, modules };
}

function readThemes(path: string, problems: Problems): PackTheme[] {
	const themes: PackTheme[] = [];
	const rawThemes = existsSync(path) ? problems.parseFile(path, () => parseYaml(readFileSync(path, 'utf8'))) : undefined;
	if (!Array.isArray(rawThemes)) {
		problems.report(path, '缺少主题列表（themes.yaml）');
		return themes;
	}
	for (const [i, raw] of rawThemes.entries()) {
		const theme = themeSchema.safeParse(raw);
		if (!theme.success) problems.report(path, `第 ${i + 1} 个主题：${issueText(theme.error)}`);
		else if (themes.some((t) => t.slug === theme.data.slug)) problems.report(path, `主题 slug 重复：${theme.data.slug}`);
		else themes.push(theme.data);
	}
	return themes;
}

/** What a module is checked against: the pack's themes, the modules and lesson slugs read so far. */
type PackSoFar = { themes: PackTheme[]; modules: PackModule[]; lessonFiles: Map<string, string>; report: Report };

const REPORT_FOLDER = 'report';

/** One module folder: module.md, its lessons and questions.yaml; undefined when module.md is unusable. */
function readModule(base: string, soFar: PackSoFar, problems: Problems): PackModule | undefined {
	const modulePath = join(base, 'module.md');
	if (!existsSync(modulePath)) {
		problems.report(base, '缺少 module.md');
		return undefined;
	}
	const moduleFile = readMarkdown(modulePath, problems);
	if (!moduleFile) return undefined;
	const meta = moduleSchema.safeParse(moduleFile.data);
	if (!meta.success) {
		problems.report(modulePath, `front matter 有误：${issueText(meta.error)}`);
		return undefined;
	}
	if (!soFar.themes.some((t) => t.slug === meta.data.theme)) problems.report(modulePath, `未知主题：${meta.data.theme}`);
	const dup = soFar.modules.find((m) => m.meta.slug === meta.data.slug);
	if (dup) problems.report(modulePath, `模块 slug 重复：${meta.data.slug}（另见 ${dup.file}）`);

	const lessons = readLessons(base, soFar, problems);
	const questions = readQuestions(join(base, 'questions.yaml'), lessons, soFar.report, problems);
	if (lessons.length && (lessons.length < 3 || lessons.length > 6)) problems.report(base, `模块有 ${lessons.length} 节课程，应为 3–6 节`);
	if (questions.length < MIN_QUESTIONS) problems.report(join(base, 'questions.yaml'), `题库只有 ${questions.length} 道题，至少要 ${MIN_QUESTIONS} 道`);
	const intro = moduleFile.body;
	return { file: problems.rel(modulePath), meta: meta.data, intro, hash: hashOf([meta.data, intro]), lessons, questions };
}

/** A Markdown file's front matter and body; undefined (and a problem) when it has none or cannot be read. */
function readMarkdown(path: string, problems: Problems): { data: unknown; body: string } | undefined {
	const parsed = problems.parseFile(path, () => frontMatter(readFileSync(path, 'utf8')));
	if (parsed === null) problems.report(path, '缺少 front matter（文件须以 --- 开头的 YAML 块开始）');
	return parsed ?? undefined;
}

/** The module's lessons (every .md but module.md), in their stated order. */
function readLessons(base: string, soFar: PackSoFar, problems: Problems): PackLesson[] {
	const lessons: PackLesson[] = [];
	for (const name of readdirSync(base).filter((n) => n.endsWith('.md') && n !== 'module.md').sort()) {
		const lesson = readLesson(join(base, name), soFar, problems);
		if (lesson) lessons.push(lesson);
	}
	if (lessons.length === 0) problems.report(base, '模块没有课程');
	return lessons.sort((a, b) => a.meta.order - b.meta.order);
}

function readLesson(path: string, { lessonFiles, report }: PackSoFar, problems: Problems): PackLesson | undefined {
	const lessonFile = readMarkdown(path, problems);
	if (!lessonFile) return undefined;
	const meta = lessonSchema.safeParse(lessonFile.data);
	if (!meta.success) {
		problems.report(path, `front matter 有误：${issueText(meta.error)}`);
		return undefined;
	}
	const body = lessonFile.body;
	if (!body) problems.report(path, '正文为空');
	const seen = lessonFiles.get(meta.data.slug);
	if (seen) problems.report(path, `课程 slug 重复：${meta.data.slug}（另见 ${seen}）`);
	lessonFiles.set(meta.data.slug, problems.rel(path));
	const source = lessonSourceProblem(report, meta.data.source);
	if (source) problems.report(path, source);
	for (const problem of lessonShapeProblems(body, 'supplement' in meta.data.source)) problems.report(path, problem);
	for (const problem of tifaProblems(report, body)) problems.report(path, problem);
	return { file: problems.rel(path), meta: meta.data, body, hash: hashOf([meta.data, body]) };
}

const MIN_QUESTIONS = 20;
export const LESSON_LENGTH = { min: 600, max: 1500 };

/** The three-part lesson shape and its length (characters a reader reads, as the sync counts them). */
function lessonShapeProblems(body: string, supplementary: boolean): string[] {
	const problems: string[] = [];
	const headings = [...body.matchAll(/^##\s+(.+?)\s*$/gm)].map((m) => m[1]!);
	const needed = [...(supplementary ? [] : ['报告怎么说']), '对人大工作意味着什么', '吕梁实践'];
	const missing = needed.filter((h) => !headings.includes(h));
	if (missing.length) problems.push(`缺少小标题：${missing.map((h) => `## ${h}`).join('、')}`);
	const length = readingLength(plainTextOf(renderMarkdown(body)));
	if (length < LESSON_LENGTH.min || length > LESSON_LENGTH.max)
		problems.push(`正文 ${length} 字，应为 ${LESSON_LENGTH.min}–${LESSON_LENGTH.max} 字`);
	return problems;
}

type LessonSource = z.infer<typeof lessonSchema>['source'];

/** Why a lesson's stated place is not in the report (part, heading, section, paragraph), or null. */
function lessonSourceProblem(report: Report, source: LessonSource): string | null {
	if ('supplement' in source) return null;
	const number = source.part === '开篇' ? OPENING : source.part === '结束语' ? CLOSING : numeralValue(source.part);
	const part = number >= 0 ? reportPart(report, number) : undefined;
	if (!part) return `source.part：报告没有“${source.part}”部分（写一 … 十五、开篇或结束语）`;
	if (source.heading !== part.heading) return `source.heading：${part.label}的标题是“${part.heading}”，不是“${source.heading}”`;
	const numeral = source.section ? /^（([一二三四五六七八九十]+)）/.exec(source.section)?.[1] : undefined;
	const section = numeral ? part.sections.find((s) => s.number === numeralValue(numeral)) : undefined;
	if (source.section && !section) return `source.section：${part.label}没有“${source.section}”这一节`;
	const list = section ? section.paragraphs : part.sections.length ? part.paragraphs : part.intro;
	if (source.paragraph > list.length) return `source.paragraph：${source.section ?? part.label}只有 ${list.length} 段，没有第 ${source.paragraph} 段`;
	return null;
}

/** A report lesson's questions each cite their paragraph; their explanations quote the report verbatim. */
function questionSourceProblems(report: Report, q: { source?: string; explanation: string }, supplementary: boolean): string[] {
	const problems: string[] = [];
	if (!q.source) return supplementary ? [] : ['缺少 source（题目依据的报告段落，如“第三部分 · 第14段”）'];
	const sourceProblem = citationProblem(report, q.source, null);
	if (sourceProblem) return [`source：${sourceProblem}`];
	const places = citedPlaces(q.explanation);
	for (const { at, quote } of reportQuotations(q.explanation)) {
		// The paragraph named nearest before the quotation, else the question's own source.
		const named = places.filter((p) => p.end <= at && p.place).at(-1);
		const cited = named?.cited ?? q.source;
		const place = named?.place ?? parseCitation(q.source)!;
		const paragraph = findParagraph(report, place);
		const problem = paragraph ? quotationProblem(paragraph, quote, cited) : `出处“${cited}”不在报告中`;
		if (problem) problems.push(`解析中的引文：${withWhereItIs(report, problem, quote)}`);
	}
	return problems;
}

/** The text of the keyed answer when the stem already contains it (the stem gives the answer away), or null. */
function stemGivesAway(q: ParsedQuestion): string | null {
	const keyed =
		q.type === 'single' ? [q.options[q.answer.charCodeAt(0) - 65]] : q.type === 'multiple' ? q.answer.map((l) => q.options[l.charCodeAt(0) - 65]) : q.type === 'fill' ? q.blanks.flat() : [];
	const stem = q.stem.replace(/\s/g, '');
	return keyed.find((text) => text !== undefined && text.replace(/\s/g, '').length >= 2 && stem.includes(text.replace(/\s/g, ''))) ?? null;
}

/** At most this share of a bank's single-choice questions may key the same letter. */
const SAME_POSITION_MAX = 0.5;

/** The letter most single-choice questions key, and how many do. */
function keyPositions(questions: PackQuestion[]): { letter: string; count: number; total: number; share: number } {
	const singles = questions.filter((q) => q.type === 'single');
	const counts = new Map<number, number>();
	for (const q of singles) counts.set(q.answer as number, (counts.get(q.answer as number) ?? 0) + 1);
	const [index, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
	return { letter: String.fromCharCode(65 + index), count, total: singles.length, share: singles.length ? count / singles.length : 0 };
}

/** At most this share of a bank's single-choice questions may key their one longest option. */
const LONGEST_KEYED_MAX = 0.4;

/**
 * Single-choice questions whose options differ in length (by 3 characters or more), and how many of
 * them key the one longest option: a cue that answers without reading.
 */
function longestKeyed(questions: PackQuestion[]): { judged: number; keyed: number; share: number } {
	let judged = 0;
	let keyed = 0;
	for (const q of questions) {
		if (q.type !== 'single') continue;
		const lengths = q.options.map((o) => o.length);
		const longest = Math.max(...lengths);
		if (longest - Math.min(...lengths) < 3) continue;
		judged++;
		if (lengths[q.answer as number] === longest && lengths.filter((l) => l === longest).length === 1) keyed++;
	}
	return { judged, keyed, share: judged ? keyed / judged : 0 };
}

/** The bank-wide rules: enough false statements among the 判断题, no longest-option cue, enough 情境题. */
function bankProblems(questions: PackQuestion[]): string[] {
	const problems: string[] = [];
	const judged = questions.filter((q) => q.type === 'truefalse');
	const falseShare = judged.length ? judged.filter((q) => q.answer === false).length / judged.length : 1;
	if (falseShare < 0.4) problems.push(`判断题中答案为“错误”的只占 ${Math.round(falseShare * 100)}%，至少要 40%（否则全答“正确”也能得高分）`);
	const cued = longestKeyed(questions);
	if (cued.share > LONGEST_KEYED_MAX)
		problems.push(
			`单选题中正确答案恰是最长选项的有 ${cued.keyed} 道（共 ${cued.judged} 道，${Math.round(cued.share * 100)}%），至多 ${LONGEST_KEYED_MAX * 100}%：不读题挑最长的也能答对，请把干扰项写得同样具体`
		);
	const positions = keyPositions(questions);
	if (positions.share > SAME_POSITION_MAX)
		problems.push(
			`单选题的正确答案有 ${positions.count} 道都是 ${positions.letter}（共 ${positions.total} 道），至多 ${SAME_POSITION_MAX * 100}%：不打乱选项时（测验设置可以关掉打乱）一眼可猜，请把正确答案放在不同位置`
		);
	const applied = questions.filter((q) => q.applied).length;
	if (questions.length && applied / questions.length < 0.3)
		problems.push(`情境题（applied: true，把报告用到人大工作的情境中）只有 ${applied} 道，至少要占 30%（${Math.ceil(questions.length * 0.3)} 道）`);
	return problems;
}

function readQuestions(path: string, lessons: PackLesson[], report: Report, { report: reportProblem, parseFile }: Problems): PackQuestion[] {
	const out = readQuestionList(path, lessons, report, reportProblem, parseFile);
	for (const problem of bankProblems(out)) reportProblem(path, problem);
	return out;
}

function readQuestionList(
	path: string,
	lessons: PackLesson[],
	reportText: Report,
	report: Problems['report'],
	parseFile: Problems['parseFile']
): PackQuestion[] {
	const lessonSlugs = new Set(lessons.map((l) => l.meta.slug));
	const supplementary = new Set(lessons.filter((l) => 'supplement' in l.meta.source).map((l) => l.meta.slug));
	if (!existsSync(path)) {
		report(path, '缺少题库文件 questions.yaml');
		return [];
	}
	const raw = parseFile(path, () => parseYaml(readFileSync(path, 'utf8')));
	if (raw === undefined) return [];
	if (!Array.isArray(raw)) {
		report(path, '题库应为题目列表');
		return [];
	}
	const out: PackQuestion[] = [];
	for (const [i, item] of raw.entries()) {
		const label = `第 ${i + 1} 题${item && typeof item === 'object' && 'id' in item ? `（${String(item.id)}）` : ''}`;
		// The built-in banks feed module quizzes and daily practice, which score automatically.
		if (item && typeof item === 'object' && 'type' in item && item.type === 'essay') {
			report(path, `${label}：内容包不收简答题（简答题由阅卷人评分，请在“内容编写”的题库中编写，用于考试）`);
			continue;
		}
		const base = questionBase.safeParse(item);
		const typed = questionSchema.safeParse(item);
		if (!base.success || !typed.success) {
			const errs = [base, typed].flatMap((parsed) => (parsed.success ? [] : [issueText(parsed.error)]));
			report(path, `${label}：${errs.join('；')}`);
			continue;
		}
		const q = { ...base.data, ...typed.data };
		const problem = answerProblem(q);
		if (problem) report(path, `${label}：${problem}`);
		if (!lessonSlugs.has(q.lesson)) report(path, `${label}：引用了本模块中不存在的课程“${q.lesson}”`);
		if (out.some((o) => o.id === q.id)) report(path, `${label}：题目 id 重复`);
		// Options are shuffled for the learner (daily practice always), so "D错误" would point at another option.
		const letters = letterWarning(q.type, q.stem, q.explanation, true);
		if (letters) report(path, `${label}：${letters}`);
		const givenAway = stemGivesAway(q);
		if (givenAway) report(path, `${label}：题干已包含正确答案“${givenAway}”`);
		for (const p of questionSourceProblems(reportText, q, supplementary.has(q.lesson))) report(path, `${label}：${p}`);
		if (problem || !lessonSlugs.has(q.lesson)) continue;
		const options = 'options' in q ? q.options : [];
		const answer: QuestionAnswer =
			q.type === 'single'
				? q.answer.charCodeAt(0) - 65
				: q.type === 'multiple'
					? [...new Set(q.answer)].map((l) => l.charCodeAt(0) - 65).sort((a, b) => a - b)
					: q.type === 'truefalse'
						? q.answer
						: q.blanks;
		const record = { id: q.id, lesson: q.lesson, type: q.type, stem: q.stem, options, answer, explanation: q.explanation, source: q.source ?? '' };
		out.push({ file: path, ...record, applied: q.applied ?? false, hash: hashOf(record) });
	}
	return out;
}

type ParsedQuestion = z.infer<typeof questionSchema> & { stem: string };

/** Why a question has no valid correct answer, or null. */
function answerProblem(q: ParsedQuestion): string | null {
	const inRange = (l: string, options: string[]) => l.charCodeAt(0) - 65 < options.length;
	switch (q.type) {
		case 'single':
			return inRange(q.answer, q.options) ? null : `没有正确答案：${q.answer} 超出选项范围`;
		case 'multiple':
			if (new Set(q.answer).size < 2) return '多选题至少要有两个不同的正确答案';
			return q.answer.every((l) => inRange(l, q.options)) ? null : '没有正确答案：答案超出选项范围';
		case 'truefalse':
			return null;
		case 'fill': {
			const count = q.stem.split(BLANK).length - 1;
			if (count === 0) return `填空题题干中没有空（用 ${BLANK} 表示）`;
			return count === q.blanks.length ? null : `题干有 ${count} 个空，但给出了 ${q.blanks.length} 组答案`;
		}
	}
}
