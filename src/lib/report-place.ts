/**
 * Places in the report (part, section, paragraph), how they are written and where the 原文 reader
 * shows them. Plain functions without the text itself, so pages and components can link to the
 * 原文 (the text and the quotation check are server-side: $lib/server/report).
 */

export const NUMERALS = [
	'一',
	'二',
	'三',
	'四',
	'五',
	'六',
	'七',
	'八',
	'九',
	'十',
	'十一',
	'十二',
	'十三',
	'十四',
	'十五'
];
export const OPENING = 0;
export const CLOSING = 16;

export interface CitationPlace {
	part: number;
	/** 0: the part's 导语, or the whole part when it has no sections. */
	section: number;
	index: number;
}

/** 一 … 十五 to 1 … 15; 0 when it is none of them. */
export function numeralValue(numeral: string): number {
	return NUMERALS.indexOf(numeral) + 1;
}

export function partLabel(part: number): string {
	if (part === OPENING) return '开篇';
	if (part === CLOSING) return '结束语';
	return `第${NUMERALS[part - 1]}部分`;
}

/** The paragraph's stable anchor in the 原文 reader: p3-14, or p4-3-1 inside a section. */
export function paragraphId(part: number, section: number, index: number): string {
	return section ? `p${part}-${section}-${index}` : `p${part}-${index}`;
}

export function citationOf(part: number, section: number, index: number, hasSections: boolean): string {
	const where = section
		? `（${NUMERALS[section - 1]}）第${index}段`
		: hasSections
			? `导语第${index}段`
			: `第${index}段`;
	return `${partLabel(part)} · ${where}`;
}

export const PART_PATTERN = '(开篇|结束语|第([一二三四五六七八九十]+)部分)';
/** 第三部分 · 第14段, 第六部分 · 导语第1段, 第四部分 · （三）第1段, 党的二十大报告 · 第六部分 第3段. */
const CITATION = new RegExp(
	`^(?:党的二十大报告\\s*·\\s*)?${PART_PATTERN}\\s*(?:·\\s*)?(?:导语)?(?:（([一二三四五六七八九十]+)）)?(?:第)?(\\d{1,3})段$`
);

/** The part a citation's 开篇 / 结束语 / 第X部分 names; -1 when none. */
export function partNumber(whole: string, numeral: string | undefined): number {
	if (whole === '开篇') return OPENING;
	if (whole === '结束语') return CLOSING;
	return numeralValue(numeral ?? '') || -1;
}

/** A citation string as a place in the report, or null when it is not one. */
export function parseCitation(text: string): CitationPlace | null {
	const m = CITATION.exec(text.trim());
	if (!m) return null;
	const part = partNumber(m[1]!, m[2]);
	if (part < 0) return null;
	return { part, section: m[3] ? numeralValue(m[3]) : 0, index: Number(m[4]) };
}

/** Whether the text is meant as a place in the report (as opposed to another document, 《…》). */
export function citesReport(text: string): boolean {
	return new RegExp(`^(?:党的二十大报告\\s*·\\s*|报告)?${PART_PATTERN}`).test(text.trim());
}

const PART_ONLY = new RegExp(`^(?:党的二十大报告\\s*·\\s*)?${PART_PATTERN}`);

/** The part a source names, as a citation (第三部分 · 第14段) or just 报告第六部分; -1 when none. */
export function citedPart(source: string): number {
	const text = source.trim().replace(/^报告/, '');
	const place = parseCitation(text);
	if (place) return place.part;
	const m = PART_ONLY.exec(text);
	return m ? partNumber(m[1]!, m[2]) : -1;
}

export const REPORT_PATH = '/learn/report';

/**
 * Where the 原文 reader shows a question's or lesson's source (第三部分 · 第14段, or just 报告第六部分),
 * highlighted; null when the text names no place in the report.
 */
export function reportLink(source: string): { href: string; label: string } | null {
	const text = source.trim().replace(/^报告/, '');
	const place = parseCitation(text);
	if (place) {
		const id = paragraphId(place.part, place.section, place.index);
		return { href: `${REPORT_PATH}/${place.part}?p=${id}#${id}`, label: `原文 · ${text}` };
	}
	const part = citedPart(text);
	return part < 0 ? null : { href: `${REPORT_PATH}/${part}`, label: `原文 · ${partLabel(part)}` };
}
