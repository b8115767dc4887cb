import yauzl from 'yauzl';
import { SaxesParser } from 'saxes';
import { StringDecoder } from 'node:string_decoder';
import { checkCell, SheetRows, SpreadsheetError, type SheetLimits } from './bounds';

// An .xlsx is a zip of XML parts. A few kilobytes can unzip to gigabytes, and a cell reference
// like XFD1048576 makes whole-workbook readers allocate the sheet up to it. So the zip's
// directory is checked before anything is unzipped, each part is unzipped as a stream no
// larger than it declared (yauzl checks), and the first sheet's XML is read event by event
// into at most `limits.columns` cells per row, stopping at the first cell out of bounds.
// A formula cell gives the value its program last calculated (the <v> it saved); nothing is
// ever evaluated.

const UNREADABLE = '无法读取该 Excel 文件：请用模板另存为 .xlsx 后重试';

type Entries = Map<string, yauzl.Entry>;

/** The first sheet of an .xlsx as rows of trimmed cell text, within `limits`. */
export async function readXlsxRows(bytes: Uint8Array, limits: SheetLimits): Promise<SheetRows> {
	let zip: yauzl.ZipFile;
	try {
		zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
			strictFileNames: false
		});
	} catch {
		throw new SpreadsheetError(UNREADABLE);
	}
	try {
		const entries = await listEntries(zip, limits);
		const parts = await locateParts(zip, entries);
		const shared = parts.sharedStrings ? await readSharedStrings(zip, parts.sharedStrings, limits) : [];
		return await readSheet(zip, parts.sheet, shared, limits);
	} catch (e) {
		if (e instanceof SpreadsheetError) throw e;
		throw new SpreadsheetError(UNREADABLE);
	} finally {
		zip.close();
	}
}

async function listEntries(zip: yauzl.ZipFile, limits: SheetLimits): Promise<Entries> {
	if (zip.entryCount > limits.zipEntries)
		throw new SpreadsheetError(
			`该 Excel 文件包含的部件过多（超过 ${limits.zipEntries} 个），不像是${limits.words.sheet}：请用模板另存为 .xlsx 后重试`
		);
	const entries: Entries = new Map();
	let total = 0;
	for await (const entry of zip.eachEntry()) {
		total += entry.uncompressedSize;
		if (total > limits.unzippedBytes) {
			const { sheet, table } = limits.words;
			throw new SpreadsheetError(
				`该 Excel 文件解压后超过 ${limits.unzippedBytes / 1024 / 1024} MB，不像是${sheet}：请只保留${table}，另存为 .xlsx 后重试`
			);
		}
		// Part names are case-insensitive in OOXML.
		entries.set(entry.fileName.toLowerCase(), entry);
	}
	return entries;
}

// Element names without a namespace prefix (some writers use x:row).
const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** Streams one part through an XML parser; a handler may throw to stop reading at once. */
async function parsePart(
	zip: yauzl.ZipFile,
	entry: yauzl.Entry,
	setUp: (parser: SaxesParser) => void
): Promise<void> {
	const parser = new SaxesParser({ position: false });
	setUp(parser);
	const stream = await zip.openReadStreamPromise(entry);
	const decoder = new StringDecoder('utf8');
	let first = true;
	// Leaving the loop (a handler threw) destroys the stream: nothing more is unzipped.
	for await (const chunk of stream) {
		let text = decoder.write(chunk as Buffer);
		if (first) text = text.replace(/^\uFEFF/, '');
		first = false;
		parser.write(text);
	}
	parser.write(decoder.end()).close();
}

/** The first sheet in the workbook's tab order, and the shared strings, as named by the workbook's relationships. */
async function locateParts(
	zip: yauzl.ZipFile,
	entries: Entries
): Promise<{ sheet: yauzl.Entry; sharedStrings?: yauzl.Entry }> {
	const workbook = entries.get('xl/workbook.xml');
	const rels = entries.get('xl/_rels/workbook.xml.rels');
	if (!workbook || !rels) throw new SpreadsheetError(UNREADABLE);
	let firstSheetRel: string | undefined;
	await parsePart(zip, workbook, (p) =>
		p.on('opentag', (tag) => {
			if (firstSheetRel !== undefined || local(tag.name) !== 'sheet') return;
			const key = Object.keys(tag.attributes).find((a) => a.endsWith(':id'));
			firstSheetRel = key ? String(tag.attributes[key]) : '';
		})
	);
	const targets = new Map<string, string>();
	let sharedTarget: string | undefined;
	await parsePart(zip, rels, (p) =>
		p.on('opentag', (tag) => {
			if (local(tag.name) !== 'Relationship') return;
			const target = String(tag.attributes.Target ?? '');
			targets.set(String(tag.attributes.Id ?? ''), target);
			if (String(tag.attributes.Type ?? '').endsWith('/sharedStrings')) sharedTarget = target;
		})
	);
	const part = (target: string | undefined) =>
		target === undefined
			? undefined
			: entries.get((target.startsWith('/') ? target.slice(1) : `xl/${target}`).toLowerCase());
	const sheet = part(targets.get(firstSheetRel ?? ''));
	if (!sheet) throw new SpreadsheetError('Excel 文件中没有工作表');
	return { sheet, sharedStrings: part(sharedTarget) ?? entries.get('xl/sharedstrings.xml') };
}

/**
 * Whether more text may be added to a cell's: once its trimmed text is over the bound the
 * rest is not kept (the cell is refused anyway), so one huge string costs no memory.
 */
const fits = (text: string, limits: SheetLimits) =>
	text.length <= limits.cellChars || text.trim().length <= limits.cellChars;

/**
 * The shared string table. A string longer than a cell may hold is kept cut to one character
 * over, so a cell using it is refused without the whole string being kept.
 */
async function readSharedStrings(
	zip: yauzl.ZipFile,
	entry: yauzl.Entry,
	limits: SheetLimits
): Promise<string[]> {
	const strings: string[] = [];
	let text = '';
	let inText = false;
	let phonetic = false;
	await parsePart(zip, entry, (p) => {
		p.on('opentag', (tag) => {
			const name = local(tag.name);
			if (name === 'si') text = '';
			else if (name === 'rPh') phonetic = true;
			else if (name === 't' && !phonetic) inText = true;
		});
		const onText = (t: string) => {
			if (inText && fits(text, limits)) text += t;
		};
		p.on('text', onText);
		p.on('cdata', onText);
		p.on('closetag', (tag) => {
			const name = local(tag.name);
			if (name === 't') inText = false;
			else if (name === 'rPh') phonetic = false;
			else if (name === 'si') strings.push(text.trim().slice(0, limits.cellChars + 1));
		});
	});
	return strings;
}

/** Column number of a reference like "AB12" (0 when malformed: such a cell takes the next column). */
function columnOf(ref: string): number {
	const letters = /^[A-Z]{1,3}/.exec(ref)?.[0] ?? '';
	let n = 0;
	for (const c of letters) n = n * 26 + c.charCodeAt(0) - 64;
	return n;
}

function cellText(type: string, value: string, inline: string, shared: string[]): string {
	switch (type) {
		case 's':
			return shared[Number(value)] ?? '';
		case 'inlineStr':
			return inline.trim();
		case 'b':
			return value === '1' ? 'true' : 'false';
		case 'e':
			return '';
		case 'd':
			return value.slice(0, 10);
		case 'str':
			return value.trim();
	}
	const n = Number(value);
	if (value.trim() === '' || !Number.isFinite(n)) return value.trim();
	return Number.isInteger(n) ? n.toFixed(0) : String(n);
}

async function readSheet(
	zip: yauzl.ZipFile,
	entry: yauzl.Entry,
	shared: string[],
	limits: SheetLimits
): Promise<SheetRows> {
	const out = new SheetRows(limits);
	let line = 0;
	let cells: string[] = [];
	let column = 0;
	let type = '';
	let value = '';
	let inline = '';
	let into: 'v' | 't' | null = null;
	let phonetic = false;
	await parsePart(zip, entry, (p) => {
		p.on('opentag', (tag) => {
			const name = local(tag.name);
			if (name === 'row') {
				out.countLine();
				const rowNumber = Number(tag.attributes.r);
				line = Number.isInteger(rowNumber) && rowNumber > line ? rowNumber : line + 1;
				cells = [];
				column = 0;
			} else if (name === 'c') {
				const ref = String(tag.attributes.r ?? '');
				column = columnOf(ref) || column + 1;
				type = String(tag.attributes.t ?? 'n');
				value = inline = '';
			} else if (name === 'v') into = 'v';
			else if (name === 'rPh') phonetic = true;
			else if (name === 't' && !phonetic) into = 't';
		});
		const onText = (t: string) => {
			if (into === 'v' && fits(value, limits)) value += t;
			else if (into === 't' && fits(inline, limits)) inline += t;
		};
		p.on('text', onText);
		p.on('cdata', onText);
		p.on('closetag', (tag) => {
			const name = local(tag.name);
			if (name === 'v' || name === 't') into = null;
			else if (name === 'rPh') phonetic = false;
			else if (name === 'c') {
				const text = cellText(type, value, inline, shared);
				if (!text) return;
				checkCell(limits, line, column, text);
				cells[column - 1] = text;
			} else if (name === 'row')
				out.add(
					line,
					Array.from({ length: Math.min(cells.length, limits.columns) }, (_, i) => cells[i] ?? '')
				);
		});
	});
	return out;
}
