import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * The report's full text (content/report/report.md, see SOURCES.md there): the opening, fifteen
 * parts and the closing, each paragraph numbered as the published text lays it out. Parts are
 * numbered 0 (开篇) to 16 (结束语); a paragraph is addressed by part, section (0 = the part's
 * 导语, or the whole part when it has no sections) and its place there.
 */

export interface ReportParagraph {
	part: number;
	section: number;
	index: number;
	/** Stable anchor in the 原文 reader: p3-14, or p4-3-1 inside a section. */
	id: string;
	/** How lessons and questions cite it: 第三部分 · 第14段, 第四部分 · （三）第1段. */
	citation: string;
	text: string;
	/** The heading of its part and the title of its section: quoting them is quoting the report too. */
	headings: string[];
}

export interface ReportSection {
	number: number;
	/** The section's title, the first sentence of its paragraph without （一）. */
	title: string;
	paragraphs: ReportParagraph[];
}

export interface ReportPart {
	number: number;
	/** 开篇, 第一部分 … 第十五部分, 结束语. */
	label: string;
	/** 一 … 十五, or null for the opening and closing. */
	numeral: string | null;
	heading: string;
	intro: ReportParagraph[];
	sections: ReportSection[];
	/** Every paragraph of the part in reading order. */
	paragraphs: ReportParagraph[];
	/** Characters of text (whitespace excluded), for reading time and coverage. */
	length: number;
}

export interface Report {
	title: string;
	subtitle: string;
	speaker: string;
	delivered: string;
	source: string;
	parts: ReportPart[];
}

export {
	NUMERALS,
	OPENING,
	CLOSING,
	numeralValue,
	partLabel,
	paragraphId,
	citationOf
} from '../../report-place';
import { CLOSING, OPENING, numeralValue, partLabel, paragraphId, citationOf } from '../../report-place';

const SECTION_HEAD = /^（([一二三四五六七八九十]+)）([^。]*)。/;

function headingOf(line: string): { number: number; numeral: string | null; heading: string } {
	const text = line.replace(/^#\s*/, '').trim();
	if (text === '开篇') return { number: OPENING, numeral: null, heading: '开篇' };
	if (text === '结束语') return { number: CLOSING, numeral: null, heading: '结束语' };
	const m = /^([一二三四五六七八九十]+)、(.+)$/.exec(text);
	if (!m || !numeralValue(m[1]!)) throw new Error(`无法识别的部分标题：${text}`);
	return { number: numeralValue(m[1]!), numeral: m[1]!, heading: m[2]! };
}

function buildPart(head: ReturnType<typeof headingOf>, lines: string[]): ReportPart {
	const hasSections = lines.some((l) => SECTION_HEAD.test(l));
	const intro: ReportParagraph[] = [];
	const sections: ReportSection[] = [];
	for (const text of lines) {
		const m = SECTION_HEAD.exec(text);
		if (m) sections.push({ number: numeralValue(m[1]!), title: m[2]!, paragraphs: [] });
		const section = sections.at(-1);
		const list = section ? section.paragraphs : intro;
		const sectionNumber = section?.number ?? 0;
		const index = list.length + 1;
		list.push({
			part: head.number,
			section: sectionNumber,
			index,
			id: paragraphId(head.number, sectionNumber, index),
			citation: citationOf(head.number, sectionNumber, index, hasSections),
			text,
			headings: section ? [head.heading, section.title] : [head.heading]
		});
	}
	const paragraphs = [...intro, ...sections.flatMap((s) => s.paragraphs)];
	const length = paragraphs.reduce((n, p) => n + p.text.replace(/\s/g, '').length, 0);
	return { ...head, label: partLabel(head.number), intro, sections, paragraphs, length };
}

/** Parses report.md; throws on a line it cannot place (the file is checked in, so this is a build error). */
export function parseReport(source: string): Report {
	const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(source);
	if (!match) throw new Error('report.md 缺少 front matter');
	const meta = parseYaml(match[1]!) as Record<string, unknown>;
	const parts: ReportPart[] = [];
	let head: ReturnType<typeof headingOf> | null = null;
	let lines: string[] = [];
	for (const raw of match[2]!.split(/\r?\n/)) {
		const line = raw.trim();
		if (!line) continue;
		if (line.startsWith('# ')) {
			if (head) parts.push(buildPart(head, lines));
			head = headingOf(line);
			lines = [];
		} else if (!head) {
			throw new Error(`report.md：标题之前有正文：${line.slice(0, 20)}`);
		} else {
			lines.push(line);
		}
	}
	if (head) parts.push(buildPart(head, lines));
	return {
		title: String(meta.title ?? ''),
		subtitle: String(meta.subtitle ?? ''),
		speaker: String(meta.speaker ?? ''),
		delivered: String(meta.delivered ?? ''),
		source: String(meta.source ?? ''),
		parts
	};
}

/** The report shipped with the content pack; a pack without one (a test's) is checked against this. */
export const REPORT_FILE = join('content', 'report', 'report.md');

const cache = new Map<string, Report>();

/**
 * The report of a content directory (by default the one the app serves: CONTENT_DIR, else
 * content/), else the shipped one; each file is read once per process.
 */
export function loadReport(contentDir = process.env.CONTENT_DIR || 'content'): Report {
	const own = join(contentDir, 'report', 'report.md');
	const file = existsSync(own) ? own : REPORT_FILE;
	let report = cache.get(file);
	if (!report) {
		report = parseReport(readFileSync(file, 'utf8'));
		cache.set(file, report);
	}
	return report;
}

export function reportPart(report: Report, part: number): ReportPart | undefined {
	return report.parts.find((p) => p.number === part);
}

/** Every paragraph of the report, by anchor id. */
export function paragraphsById(report: Report): Map<string, ReportParagraph> {
	return new Map(report.parts.flatMap((p) => p.paragraphs.map((para) => [para.id, para] as const)));
}
