import type { EssayAnswer } from '../exams/types';

/*
 * 简答 (essay) questions in the import and export formats (issue #17). Every format writes the
 * rubric the same way, one line:
 *
 *     要点一（3分）；要点二（2分）
 *
 * each scoring point followed by its points in brackets (（3分）, (3 分), （2.5分）), separated by
 * ；, ; or line breaks (a leading 1. / （1） / ① is dropped, so a list reads too). The reference
 * answer is the format's answer (the sheet's 答案 column, the text's 参考答案 line, GIFT's
 * `// 参考答案：` comment) and the length limit a plain number (字数上限, 500 when not given).
 * The readers take the texts apart; whether the values are allowed (0.5–100 points in half
 * steps, 1–10 points, 50–5000 characters) is the question form's rule, applied by the import
 * pipeline with the form's own messages.
 */

/** How the formats' guides show a rubric. */
export const RUBRIC_EXAMPLE = '要点一（3分）；要点二（2分）';

const RUBRIC_FORMAT = `采分点应写成“要点（分值）”，各条之间用“；”分隔，如：${RUBRIC_EXAMPLE}`;

// One item: optional separators and list number, the point, its points in brackets.
const ITEM =
	/[\s；;。，,、]*(?:(?:[0-9０-９]{1,2}\s*[.．、)）]|[(（][0-9０-９]{1,2}[)）]|[①-⑳])\s*)?([^\n]+?)\s*[（(【[]\s*([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*分\s*[）)】\]]/gy;
const SEPARATORS = /^[\s；;。，,、]*$/;
const LEADING = /^[\s；;。，,、]+/;

/** The rubric a text gives, or why it cannot be read. */
export function parseRubric(text: string): { rubric: EssayAnswer['rubric'] } | { problem: string } {
	const source = text.trim();
	if (!source) return { problem: `没有采分点：${RUBRIC_FORMAT}` };
	const rubric: EssayAnswer['rubric'] = [];
	ITEM.lastIndex = 0;
	let end = 0;
	for (let m = ITEM.exec(source); m; m = ITEM.exec(source)) {
		const point = m[1]!.replace(LEADING, '').trim();
		if (!point) return { problem: `第 ${rubric.length + 1} 个采分点没有写内容：${RUBRIC_FORMAT}` };
		rubric.push({ point, points: Number(m[2]!.normalize('NFKC')) });
		end = ITEM.lastIndex;
	}
	const rest = source.slice(end);
	if (!SEPARATORS.test(rest)) {
		const excerpt = rest.replace(LEADING, '').replace(/\s+/g, ' ').slice(0, 20);
		return { problem: `采分点“${excerpt}”没有写分值：${RUBRIC_FORMAT}` };
	}
	return { rubric };
}

/** The rubric as the formats write it: 要点一（3分）；要点二（2分）. */
export function rubricText(rubric: EssayAnswer['rubric']): string {
	return rubric.map((r) => `${r.point.replace(/\s*[\r\n]+\s*/g, ' ')}（${r.points}分）`).join('；');
}

/** A length limit as written (500, ５００, 500字); null when not given; a problem when not a number. */
export function parseLength(text: string): { maxLength: number | null } | { problem: string } {
	const value = text.normalize('NFKC').replace(/\s/g, '').replace(/字$/, '');
	if (!value) return { maxLength: null };
	if (!/^\d{1,6}$/.test(value))
		return { problem: `字数上限应为一个整数，如 500，不是“${text.trim().slice(0, 20)}”` };
	return { maxLength: Number(value) };
}
