import {
	NUMERALS,
	PART_PATTERN,
	citesReport,
	numeralValue,
	parseCitation,
	partNumber,
	type CitationPlace
} from '../../report-place';
import { reportPart, type Report, type ReportParagraph } from './text';

/**
 * Citations of the report and the check that a quotation stands in it verbatim. One check serves
 * the content sync (pack.ts) and authors in the app (authoring), with the same messages.
 */

export { parseCitation, citesReport, type CitationPlace } from '../../report-place';

/** The same inside running text: 报告第三部分第12段指出, 第四部分（三）. */
const CITED_IN_TEXT = new RegExp(
	`${PART_PATTERN}\\s*(?:·\\s*)?(?:(?:导语)?(?:（([一二三四五六七八九十]+)）)?(?:第(\\d{1,3})段)?)`,
	'g'
);

export function findParagraph(report: Report, place: CitationPlace): ReportParagraph | undefined {
	const part = reportPart(report, place.part);
	if (!part) return undefined;
	const list = place.section ? part.sections.find((s) => s.number === place.section)?.paragraphs : part.intro;
	return list?.[place.index - 1];
}

/** Why the place is not in the report (in Chinese), or null. */
export function placeProblem(report: Report, place: CitationPlace, cited: string): string | null {
	const part = reportPart(report, place.part);
	if (!part) return `出处“${cited}”不在报告中`;
	if (place.section && !part.sections.some((s) => s.number === place.section))
		return `出处“${cited}”不在报告中：${part.label}没有（${NUMERALS[place.section - 1]}）`;
	if (!place.section && part.sections.length && place.index > part.intro.length)
		return `出处“${cited}”不在报告中：${part.label}导语只有 ${part.intro.length} 段`;
	if (!findParagraph(report, place))
		return `出处“${cited}”不在报告中：该处只有 ${(place.section ? part.sections.find((s) => s.number === place.section)!.paragraphs : part.intro).length} 段`;
	return null;
}

const ELLIPSIS = /……|…/;
/** Where a quotation may start or stop short of its sentence: at a clause boundary. */
const BOUNDARY = /[。！？；：，、“”‘’（）—\s]/;

/**
 * The text with layout differences removed: line breaks and spaces, and nested quotation marks
 * (a quotation inside “…” writes the report's “四风” as ‘四风’).
 */
function squeeze(text: string): string {
	return text.replace(/\s+/g, '').replace(/[‘“]/g, '“').replace(/[’”]/g, '”');
}

/** Where each piece of the quotation stands in the paragraph, in order, or the first piece that is not there. */
function locate(paragraph: string, pieces: string[]): { at: number[] } | { missing: string } {
	const at: number[] = [];
	let from = 0;
	for (const piece of pieces) {
		const i = paragraph.indexOf(piece, from);
		if (i < 0) return { missing: piece };
		at.push(i);
		from = i + piece.length;
	}
	return { at };
}

/** The paragraph's words nearest the piece that is not there, to show the difference. */
function closest(paragraph: string, piece: string): string {
	const head = piece.slice(0, Math.min(6, piece.length));
	const i = paragraph.indexOf(head);
	if (i < 0) return '';
	return paragraph.slice(i, i + piece.length + 4);
}

/** The words a quotation left out before `at`: back to the clause boundary. */
function droppedBefore(text: string, at: number): string {
	let from = at;
	while (from > 0 && !BOUNDARY.test(text[from - 1]!)) from--;
	return text.slice(from, at);
}

/** The words a quotation left out after `end`: on to the clause boundary. */
function droppedAfter(text: string, end: number): string {
	let to = end;
	while (to < text.length && !BOUNDARY.test(text[to]!)) to++;
	return text.slice(end, to);
}

/**
 * Why a quotation is not the report's wording at this paragraph, or null. It must occur verbatim;
 * an ellipsis (……) stands for omitted text; without one, it may not start or stop in the middle of
 * a clause (dropping words silently changes what the report says).
 */
export function quotationProblem(
	paragraph: ReportParagraph,
	quotation: string,
	cited: string
): string | null {
	const text = squeeze(paragraph.text);
	const quote = squeeze(quotation).replace(/^“|”$/g, '');
	if (paragraph.headings.includes(quote)) return null;
	const pieces = quote.split(ELLIPSIS).filter((p) => p.length > 0);
	if (!pieces.length) return '引用为空';
	const found = locate(text, pieces);
	if ('missing' in found) {
		const near = closest(text, found.missing);
		const elsewhere = near ? `；原文此处为“${near}……”` : '';
		return `引文与${cited}原文不符：“${found.missing}”不在该段${elsewhere}`;
	}
	const startsShort =
		!ELLIPSIS.test(quote.slice(0, 2)) && found.at[0]! > 0 && !BOUNDARY.test(text[found.at[0]! - 1]!);
	if (startsShort)
		return `引文开头删去了原文的“${droppedBefore(text, found.at[0]!)}”，请补全或用“……”标出省略`;
	const lastPiece = pieces.at(-1)!;
	const end = found.at.at(-1)! + lastPiece.length;
	const endsShort =
		!ELLIPSIS.test(quote.slice(-2)) &&
		end < text.length &&
		!BOUNDARY.test(text[end]!) &&
		!BOUNDARY.test(lastPiece.at(-1)!);
	if (endsShort) return `引文结尾删去了原文的“${droppedAfter(text, end)}”，请补全或用“……”标出省略`;
	return null;
}

/** Checks a citation and its quotation together: the problem, or null. */
export function citationProblem(report: Report, cited: string, quotation: string | null): string | null {
	const place = parseCitation(cited);
	if (!place)
		return `无法识别的出处“${cited}”（应写作“第三部分 · 第1段”“第六部分 · 导语第1段”或“第四部分 · （三）第1段”）`;
	const missing = placeProblem(report, place, cited);
	if (missing) return missing;
	if (quotation === null) return null;
	return quotationProblem(findParagraph(report, place)!, quotation, cited);
}

/** The places a running text (an explanation) cites, each with where it stands in the text. */
export function citedPlaces(
	text: string
): { at: number; end: number; place: CitationPlace | null; cited: string }[] {
	const found: { at: number; end: number; place: CitationPlace | null; cited: string }[] = [];
	for (const m of text.matchAll(CITED_IN_TEXT)) {
		const part = partNumber(m[1]!, m[2]);
		const place =
			part < 0 || !m[4] ? null : { part, section: m[3] ? numeralValue(m[3]) : 0, index: Number(m[4]) };
		found.push({ at: m.index!, end: m.index! + m[0].length, place, cited: m[0] });
	}
	return found;
}

/** Words that, earlier in the sentence, give the quotation that follows as the report's own. */
const ATTRIBUTED = /(报告|原文|部分|段)[^。；！？]*$/;

/**
 * Quotations “…” in running text that are given as the report's words: long enough not to be a
 * term (short ones name a 提法), and attributed to it earlier in their sentence (报告指出：“…”), so an
 * option quoted to be refuted (“城乡同步发展的现代化”不是报告的提法) is not taken for the report's text.
 */
export function reportQuotations(text: string, min = 10): { at: number; quote: string }[] {
	const found: { at: number; quote: string }[] = [];
	let previousEnd = 0;
	for (const m of text.matchAll(/“([^”]+)”/g)) {
		// What comes between the previous quotation and this one must attribute it.
		const lead = text.slice(previousEnd, m.index!);
		previousEnd = m.index! + m[0].length;
		if (squeeze(m[1]!).replace(ELLIPSIS, '').length < min || !ATTRIBUTED.test(lead)) continue;
		found.push({ at: m.index!, quote: m[1]! });
	}
	return found;
}

/** The `> [!提法] 出处` blocks of lesson Markdown: where each says it stands, and the quoted words. */
export function tifaBlocks(markdown: string): { cited: string; quote: string }[] {
	const lines = markdown.split(/\r?\n/);
	const blocks: { cited: string; quote: string }[] = [];
	for (let i = 0; i < lines.length; i++) {
		const head = /^>\s*\[!提法\]\s*(.*)$/.exec(lines[i]!);
		if (!head) continue;
		const quote: string[] = [];
		while (i + 1 < lines.length && /^>/.test(lines[i + 1]!)) quote.push(lines[++i]!.replace(/^>\s?/, ''));
		blocks.push({
			cited: head[1]!.trim(),
			quote: quote
				.join('')
				.replace(/\*\*|__/g, '')
				.trim()
		});
	}
	return blocks;
}

/** What is wrong with the 提法 quotations of lesson Markdown, one message each (empty: nothing). */
export function tifaProblems(report: Report, markdown: string): string[] {
	const problems: string[] = [];
	for (const { cited, quote } of tifaBlocks(markdown)) {
		if (!cited) {
			problems.push(`提法“${quote.slice(0, 12)}……”没有写出处`);
			continue;
		}
		if (!citesReport(cited)) continue; // another document (《…》): not the report's text to check
		const problem = citationProblem(report, cited, quote);
		if (problem) problems.push(withWhereItIs(report, problem, quote));
	}
	return problems;
}

/** Adds where in the report the quotation does stand, when it is there but cited elsewhere. */
export function withWhereItIs(report: Report, problem: string, quote: string): string {
	if (!problem.startsWith('引文与')) return problem;
	const pieces = squeeze(quote).replace(/^“|”$/g, '').split(ELLIPSIS).filter(Boolean);
	const home = report.parts
		.flatMap((p) => p.paragraphs)
		.find((para) => 'at' in locate(squeeze(para.text), pieces));
	return home ? `${problem}；这段话在${home.citation}` : problem;
}
