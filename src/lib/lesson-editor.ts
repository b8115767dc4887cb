/**
 * The authoring editors' browser-side helpers (lesson Markdown toolbar, 提法 source, question
 * form checks). Plain functions of text, so the server tests can check them; what is stored
 * is always decided by the server (src/lib/server/authoring).
 */

/** The longest lesson text the live preview renders (the server refuses more). */
export const PREVIEW_LIMIT = 50_000;
export const PREVIEW_TOO_LONG = `正文不能超过 ${PREVIEW_LIMIT.toLocaleString('en-US')} 字，请删减后再预览`;

/** A file of the author's media library, as the editors' pickers list it. */
export interface MediaItem {
	id: number;
	name: string;
}

/** A blank in a fill-in stem, as the quiz splits it (content/FORMAT.md). */
export const BLANK = '____';
export const MAX_BLANKS = 5;
/** Up to eight options (A–H), as the question bank imports and exports them (issue #16). */
export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;

/** How many blanks a fill-in stem has (`________` is two). */
export function blankCount(stem: string): number {
	return stem.split(BLANK).length - 1;
}

/** 最短阅读时间 as 约 X 分 Y 秒 (约 Y 秒 under a minute). */
export function readingTimeLabel(seconds: number): string {
	const m = Math.floor(seconds / 60);
	const s = seconds % 60;
	if (m === 0) return `约 ${s} 秒`;
	return s ? `约 ${m} 分 ${s} 秒` : `约 ${m} 分钟`;
}

/**
 * The parts of the 20th Party Congress report: the numeral stored as 报告部分, its heading, and how
 * many numbered sections （一）… it has (0: none). content/report/report.md is the text itself.
 */
export const REPORT_PARTS: readonly { part: string; heading: string; sections: number }[] = [
	{ part: '一', heading: '过去五年的工作和新时代十年的伟大变革', sections: 0 },
	{ part: '二', heading: '开辟马克思主义中国化时代化新境界', sections: 0 },
	{ part: '三', heading: '新时代新征程中国共产党的使命任务', sections: 0 },
	{ part: '四', heading: '加快构建新发展格局，着力推动高质量发展', sections: 5 },
	{ part: '五', heading: '实施科教兴国战略，强化现代化建设人才支撑', sections: 4 },
	{ part: '六', heading: '发展全过程人民民主，保障人民当家作主', sections: 4 },
	{ part: '七', heading: '坚持全面依法治国，推进法治中国建设', sections: 4 },
	{ part: '八', heading: '推进文化自信自强，铸就社会主义文化新辉煌', sections: 5 },
	{ part: '九', heading: '增进民生福祉，提高人民生活品质', sections: 4 },
	{ part: '十', heading: '推动绿色发展，促进人与自然和谐共生', sections: 4 },
	{ part: '十一', heading: '推进国家安全体系和能力现代化，坚决维护国家安全和社会稳定', sections: 4 },
	{ part: '十二', heading: '实现建军一百年奋斗目标，开创国防和军队现代化新局面', sections: 0 },
	{ part: '十三', heading: '坚持和完善“一国两制”，推进祖国统一', sections: 0 },
	{ part: '十四', heading: '促进世界和平与发展，推动构建人类命运共同体', sections: 0 },
	{ part: '十五', heading: '坚定不移全面从严治党，深入推进新时代党的建设新的伟大工程', sections: 7 }
];

// ---------------------------------------------------------------- 提法

export type TifaSource =
	| { kind: 'report'; part: string; section?: string; paragraph: string }
	| { kind: 'other'; title: string; date: string; section: string };

/** `2023-03-01` as 2023年3月1日; anything else as typed. */
function dateText(date: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
	return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date.trim();
}

/** Where the quoted wording stands, as written after `[!提法]`: 党的二十大报告 · 第六部分 第3段. */
export function tifaSourceText(source: TifaSource): string {
	if (source.kind === 'report') {
		const paragraph = source.paragraph.trim();
		// As the content pack writes places (content/report/SOURCES.md): 导语第N段 or （一）第N段 in a part with sections.
		const where = source.section ? (source.section === '导语' ? '导语' : `（${source.section}）`) : '';
		return `党的二十大报告 · 第${source.part}部分${paragraph ? ` · ${where}第${paragraph}段` : ''}`;
	}
	const title = source.title.trim().replace(/^《?(.*?)》?$/, '《$1》');
	return [title, dateText(source.date), source.section.trim()].filter(Boolean).join(' · ');
}

/** What the 提法 dialog would refuse, per field (empty: nothing). */
export function tifaProblems(source: TifaSource, quote: string): Record<string, string> {
	const problems: Record<string, string> = {};
	if (source.kind === 'report') {
		if (!REPORT_PARTS.some((p) => p.part === source.part)) problems.part = '请选择报告的部分';
		const paragraph = source.paragraph.trim();
		if (paragraph && !/^[1-9]\d{0,2}$/.test(paragraph)) problems.paragraph = '段落号应为 1–999 的数字';
	} else if (!source.title.trim()) {
		problems.title = '请填写文件标题';
	}
	if (!quote.trim()) problems.quote = '请填写要引用的原文';
	return problems;
}

/** The Markdown block the renderer turns into the 提法 figure (content/render.ts officialWording). */
export function tifaBlock(source: TifaSource, quote: string): string {
	const lines = quote
		.trim()
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
	return [`> [!提法] ${tifaSourceText(source)}`, ...lines.map((l) => `> ${l}`)].join('\n');
}

// ---------------------------------------------------------------- toolbar edits

/** Replace `start`–`end` of the text with `text`, then select `select` (positions in the new text). */
export interface Edit {
	start: number;
	end: number;
	text: string;
	select: [number, number];
}

/** Wraps the selection in a mark (`**`), or inserts a placeholder wrapped and selected. */
export function wrapSelection(
	value: string,
	start: number,
	end: number,
	mark: string,
	placeholder: string
): Edit {
	const inner = value.slice(start, end) || placeholder;
	return {
		start,
		end,
		text: `${mark}${inner}${mark}`,
		select: [start + mark.length, start + mark.length + inner.length]
	};
}

/** The selected lines (whole lines around the selection). */
function lineRange(value: string, start: number, end: number): [number, number] {
	const from = value.lastIndexOf('\n', start - 1) + 1;
	// A selection that ends just after a line break does not take the next line.
	const last = end > start && value[end - 1] === '\n' ? end - 1 : end;
	const nl = value.indexOf('\n', last);
	return [from, nl < 0 ? value.length : nl];
}

/**
 * Starts each selected line with a prefix (`## `, `- `, `1. `, `> `), replacing a prefix of the
 * same family it already has. An empty line gets the placeholder, selected.
 */
export function prefixLines(
	value: string,
	start: number,
	end: number,
	prefix: (index: number) => string,
	existing: RegExp,
	placeholder: string
): Edit {
	const [from, to] = lineRange(value, start, end);
	const lines = value.slice(from, to).split('\n');
	if (lines.length === 1 && !lines[0]!.replace(existing, '').trim()) {
		const p = prefix(0);
		return {
			start: from,
			end: to,
			text: p + placeholder,
			select: [from + p.length, from + p.length + placeholder.length]
		};
	}
	let n = 0;
	const text = lines
		.map((line) => (line.trim() ? prefix(n++) + line.replace(existing, '') : line))
		.join('\n');
	return { start: from, end: to, text, select: [from, from + text.length] };
}

/** A link around the selection: `[文字](https://)`, the address selected to type over. */
export function linkEdit(value: string, start: number, end: number): Edit {
	const label = value.slice(start, end) || '链接文字';
	const url = 'https://';
	const text = `[${label}](${url})`;
	const at = start + label.length + 3;
	return value.slice(start, end)
		? { start, end, text, select: [at, at + url.length] }
		: { start, end, text, select: [start + 1, start + 1 + label.length] };
}

/** Inserts text in place of the selection, selecting part of it (`select` within `text`). */
export function insertText(
	start: number,
	end: number,
	text: string,
	select: [number, number] = [text.length, text.length]
): Edit {
	return { start, end, text, select: [start + select[0], start + select[1]] };
}

/** Inserts a block (a figure, an image) as its own paragraph: blank lines around it as needed. */
export function insertBlock(
	value: string,
	start: number,
	end: number,
	block: string,
	select: [number, number] = [block.length, block.length]
): Edit {
	const before = value.slice(0, start);
	const after = value.slice(end);
	const lead = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
	const trail =
		after === '' ? '\n\n' : after.startsWith('\n\n') ? '' : after.startsWith('\n') ? '\n' : '\n\n';
	const text = lead + block + trail;
	return { start, end, text, select: [start + lead.length + select[0], start + lead.length + select[1]] };
}

/** The new text after an edit (what the textarea holds once it is applied). */
export function applyEdit(value: string, edit: Edit): string {
	return value.slice(0, edit.start) + edit.text + value.slice(edit.end);
}

// ---------------------------------------------------------------- questions

export const QUESTION_TYPE_LABELS = {
	single: '单选',
	multiple: '多选',
	truefalse: '判断',
	fill: '填空',
	essay: '简答'
} as const;

/**
 * The bounds of a 简答 (essay) question, the form's and the server's (authoring/questions.ts):
 * the reference answer's length, 1–10 scoring points (采分点) of 0.5–100 points in half-point
 * steps, and the candidate's length limit (50–5000 characters, 500 unless set).
 */
export const ESSAY_LIMITS = {
	reference: 3_000,
	point: 200,
	rubricRows: 10,
	minPoints: 0.5,
	maxPoints: 100,
	minLength: 50,
	maxLength: 5_000,
	defaultLength: 500
} as const;
export const DIFFICULTY_LABELS: Record<string, string> = { '1': '易', '2': '中', '3': '难' };

// The one rule, also the server's questionWarnings (authoring/questions.ts): a run of A–H
// standing alone ("A 项", "选项C", "D错误", "AB", "答案为B") names an option by its letter.
const OPTION_LETTER_RUN = /(?<![A-Za-z])[A-H]{1,8}(?![A-Za-z])/;
export const LETTER_WARNING = '解析提到了选项字母，选项打乱后会对不上，请改为引用选项文字';

/** The warning while typing: a choice question whose explanation or stem names option letters. */
export function letterWarning(
	type: string,
	stem: string,
	explanation: string,
	shuffleOptions: boolean
): string | null {
	if (!shuffleOptions || (type !== 'single' && type !== 'multiple')) return null;
	return [explanation, stem].some((text) => OPTION_LETTER_RUN.test(text.normalize('NFKC')))
		? LETTER_WARNING
		: null;
}
