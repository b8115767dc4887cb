import iconv from 'iconv-lite';
import { parse as parseCsv } from 'csv-parse/sync';
import { checkCell, SheetRows, SpreadsheetError, type SheetLimits } from './bounds';

export const NOT_A_SHEET = '文件不是表格：请上传 .xlsx 或 .csv 文件';

/** Whether the bytes are a zip (an .xlsx), whatever the file is called. */
export function isZip(bytes: Uint8Array): boolean {
	return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

const startsWith = (bytes: Uint8Array, ...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * The text of a CSV as Excel and WPS save it: UTF-8 (with or without BOM), "Unicode 文本"
 * (UTF-16 with its BOM, or without one when the text starts with an ASCII character), or
 * GBK/GB18030 (CSV saved on Chinese Windows).
 */
export function decodeText(bytes: Uint8Array): string {
	const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (startsWith(bytes, 0xff, 0xfe)) return iconv.decode(buffer.subarray(2), 'utf-16le');
	if (startsWith(bytes, 0xfe, 0xff)) return iconv.decode(buffer.subarray(2), 'utf-16be');
	if (bytes.length >= 2 && bytes.length % 2 === 0) {
		if (bytes[0] !== 0 && bytes[1] === 0) return iconv.decode(buffer, 'utf-16le');
		if (bytes[0] === 0 && bytes[1] !== 0) return iconv.decode(buffer, 'utf-16be');
	}
	if (bytes.includes(0)) throw new SpreadsheetError(NOT_A_SHEET);
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
	} catch {
		return iconv.decode(buffer, 'gb18030');
	}
}

/** Tab-separated (Excel's "Unicode 文本" and "文本文件") when the header line has more tabs than commas. */
function delimiterOf(text: string): string {
	const header = text.split(/\r?\n/, 50).find((l) => l.trim()) ?? '';
	const count = (c: string) => header.split(c).length - 1;
	return count('\t') > count(',') ? '\t' : ',';
}

/**
 * The rows of a CSV (comma or tab, any of the encodings above) as trimmed cell text, refused
 * as soon as the file breaks a bound. `line` is the record's number, the row a spreadsheet
 * program shows (a quoted cell may span several lines of the file).
 */
export function readCsvRows(bytes: Uint8Array, limits: SheetLimits): SheetRows {
	const text = decodeText(bytes);
	const out = new SheetRows(limits);
	let line = 0;
	try {
		parseCsv(text, {
			delimiter: delimiterOf(text),
			relax_column_count: true,
			relax_quotes: true,
			skip_empty_lines: false,
			// Each record is checked as it is parsed and none is kept by the parser.
			on_record: (record: string[]) => {
				line++;
				out.countLine();
				const cells = record.map((c) => c.trim());
				for (const [i, c] of cells.entries()) if (c) checkCell(limits, line, i + 1, c);
				out.add(line, cells);
				return null;
			}
		});
	} catch (e) {
		if (e instanceof SpreadsheetError) throw e;
		throw new SpreadsheetError('CSV 文件格式不正确：请使用模板填写后另存为 CSV（逗号分隔）');
	}
	return out;
}
