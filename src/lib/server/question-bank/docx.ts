import mammoth from 'mammoth';
import { openZip, verifyZipSizes, zipDirectory } from '../zip-bounds';
import { ImportError } from './errors';
import { parseLines, headingOf, optionLetterOf, questionNumberOf, toHalf, type SourceLine } from './text';
import { IMPORT_LIMITS, type ParseResult } from './types';

/*
 * A Word document (.docx) in the exam-paper layout of text.ts. The zip is bounded before
 * anything else reads it: its directory (parts, declared sizes within
 * IMPORT_LIMITS.unzippedBytes), then every part unzipped once through yauzl, which refuses a
 * part larger than declared, so mammoth (which unzips with its own library) reads no more
 * than was allowed. mammoth reads the document into paragraphs; each paragraph is a line
 * (line numbers are paragraph numbers; a line break inside a paragraph splits it into lines
 * with the same number; paragraphs in tables are lines too).
 *
 * Word's automatic numbering is not in a paragraph's text: mammoth tells that a paragraph is
 * in a numbered list, its level, and (the same level object for the same list definition)
 * which list. Numbered paragraphs become question starts or options (see `roles`).
 */

export const UNREADABLE_DOCX = '无法读取这个 Word 文件，请另存为 .docx 后重试';
/** Parts in a .docx's zip; a document with a few hundred images stays well under. */
export const MAX_DOCX_PARTS = 2000;

/** Reads a .docx in the exam-paper layout. */
export async function parseDocx(bytes: Uint8Array): Promise<ParseResult> {
	return parseLines(await docxLines(bytes));
}

interface Paragraph {
	no: number;
	text: string;
	/** mammoth's numbering level of the paragraph (shared by the paragraphs of one list definition and level), or null. */
	numbering: { isOrdered: boolean; level: string } | null;
}

/** The paragraphs of a .docx as lines, Word's numbering turned into question and option starts. */
export async function docxLines(bytes: Uint8Array): Promise<SourceLine[]> {
	const zip = await openZip(bytes);
	if (!zip) throw new ImportError(UNREADABLE_DOCX);
	try {
		const entries = await zipDirectory(zip, {
			maxEntries: MAX_DOCX_PARTS,
			maxUnzippedBytes: IMPORT_LIMITS.unzippedBytes,
			tooManyEntries: () =>
				new ImportError(
					`这个 Word 文件包含的部件过多（超过 ${MAX_DOCX_PARTS} 个）：请只保留题目，另存为 .docx 后重试`
				),
			tooLarge: () =>
				new ImportError(
					`这个 Word 文件解压后超过 ${IMPORT_LIMITS.unzippedBytes / 1024 / 1024} MB：请删去图片等内容，只保留题目后重试`
				)
		});
		if (!entries.has('[content_types].xml')) throw new ImportError(UNREADABLE_DOCX);
		await verifyZipSizes(zip, entries);
	} catch (e) {
		if (e instanceof ImportError) throw e;
		throw new ImportError(UNREADABLE_DOCX);
	} finally {
		zip.close();
	}

	const paragraphs: Paragraph[] = [];
	try {
		await mammoth.convertToHtml(
			{ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
			{
				// Collect the paragraphs, and give mammoth an empty document to turn into HTML.
				transformDocument: (document: MammothElement) => {
					collect(document, paragraphs);
					return { ...document, children: [] };
				}
			}
		);
	} catch {
		throw new ImportError(UNREADABLE_DOCX);
	}
	return roles(paragraphs);
}

interface MammothElement {
	type: string;
	children?: MammothElement[];
	value?: string;
	breakType?: string;
	numbering?: { isOrdered: boolean; level: string } | null;
}

/** Paragraphs in document order (those inside tables included), numbered from 1. */
function collect(element: MammothElement, out: Paragraph[]): void {
	if (element.type === 'paragraph') {
		out.push({ no: out.length + 1, text: textOf(element), numbering: element.numbering ?? null });
		return;
	}
	for (const child of element.children ?? []) collect(child, out);
}

function textOf(element: MammothElement): string {
	switch (element.type) {
		case 'text':
			return element.value ?? '';
		case 'tab':
			return '\t';
		case 'break':
			return '\n';
		case 'paragraph':
		case 'run':
		case 'hyperlink':
			return (element.children ?? []).map(textOf).join('');
		default:
			// Notes, comments, images, checkboxes, nested paragraphs (text boxes): not question text.
			return (element.children ?? []).map(textOf).join('');
	}
}

/**
 * Lines from paragraphs, with Word's numbering read as text.ts's question and option starts:
 * - the first numbered list met outside a question's options is the questions' list, and
 *   each of its paragraphs starts a question (a heading numbered 一、二、 is still a heading);
 * - a numbered paragraph at a deeper level, or of another list right after a question or an
 *   option, is the question's next option (A, B, C… in order);
 * - a paragraph that already starts with its own number or letter keeps it.
 */
function roles(paragraphs: Paragraph[]): SourceLine[] {
	const lines: SourceLine[] = [];
	let questionList: object | null = null;
	let questionLevel = 0;
	/** What the last paragraph with text was: a question start, an option, or other text. */
	let last: 'question' | 'option' | 'other' = 'other';
	for (const p of paragraphs) {
		const parts = p.text.split('\n');
		const first = toHalf(parts[0]!).trim();
		let start: SourceLine['start'];
		const numbering = p.numbering;
		if (!first && parts.length === 1) {
			lines.push({ no: p.no, text: '' });
			continue;
		}
		const ownNumber = questionNumberOf(first) !== null;
		const ownLetter = optionLetterOf(first) !== null;
		if (numbering?.isOrdered && !ownNumber && !ownLetter && !headingOf(first)) {
			const level = Number(numbering.level) || 0;
			if (questionList === null) {
				if (last === 'question' || last === 'option') start = 'option';
				else {
					questionList = numbering;
					questionLevel = level;
					start = 'question';
				}
			} else if (numbering === questionList) start = 'question';
			else if (level > questionLevel || last === 'question' || last === 'option') start = 'option';
			else {
				questionList = numbering;
				questionLevel = level;
				start = 'question';
			}
		}
		lines.push({ no: p.no, text: parts[0]!, start });
		for (const more of parts.slice(1)) lines.push({ no: p.no, text: more });
		if (start) last = start;
		else if (ownNumber) last = 'question';
		else if (ownLetter) last = 'option';
		else if (first) last = 'other';
	}
	return lines;
}
