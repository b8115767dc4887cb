import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { parse as parseCsv } from 'csv-parse/sync';
import { checkCell, MAX_IMPORT_ROWS, SheetRows, SpreadsheetError, type SheetRow } from './sheet-rows';
import { readXlsxRows } from './xlsx';

export { MAX_IMPORT_ROWS, SpreadsheetError };

export const IMPORT_HEADERS = ['姓名', '登录名', '单位', '职务', '手机号'] as const;
export type ImportHeader = (typeof IMPORT_HEADERS)[number];
export type RawRow = { line: number; values: Record<ImportHeader, string> };

const NOT_A_SHEET = '文件不是表格：请上传 .xlsx 或 .csv 文件';

function isZip(bytes: Uint8Array): boolean {
	return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

const startsWith = (bytes: Uint8Array, ...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * The text of a CSV as Excel and WPS save it: UTF-8 (with or without BOM), "Unicode 文本"
 * (UTF-16 with its BOM), or GBK/GB18030 (CSV saved on Chinese Windows).
 */
function decodeText(bytes: Uint8Array): string {
	const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (startsWith(bytes, 0xff, 0xfe)) return iconv.decode(buffer.subarray(2), 'utf-16le');
	if (startsWith(bytes, 0xfe, 0xff)) return iconv.decode(buffer.subarray(2), 'utf-16be');
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

function readCsvRows(bytes: Uint8Array): SheetRows {
	const text = decodeText(bytes);
	const out = new SheetRows();
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
				for (const [i, c] of cells.entries()) if (c) checkCell(line, i + 1, c);
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

/** The rows of an .xlsx (first sheet) or a .csv, refused as soon as the file breaks a bound. */
async function readRows(fileName: string, bytes: Uint8Array): Promise<SheetRow[]> {
	if (isZip(bytes)) return (await readXlsxRows(bytes)).rows;
	if (fileName.toLowerCase().endsWith('.csv')) return readCsvRows(bytes).rows;
	throw new SpreadsheetError(NOT_A_SHEET);
}

/**
 * Reads the first sheet of an .xlsx or a .csv into rows keyed by the template's
 * Chinese headers (in any column order). Blank lines are skipped; `line` is the
 * row number the admin sees in their spreadsheet program.
 */
export async function readMemberSheet(fileName: string, bytes: Uint8Array): Promise<RawRow[]> {
	if (bytes.length === 0) throw new SpreadsheetError('文件是空的');
	const [headerRow, ...rows] = await readRows(fileName, bytes);
	const header = (headerRow?.cells ?? []).map((c) => c.replace(/\s/g, ''));
	const missing = IMPORT_HEADERS.filter((h) => !header.includes(h));
	if (!headerRow || missing.length) {
		throw new SpreadsheetError(`表头不完整，缺少：${missing.join('、')}。请下载模板，按模板表头填写`);
	}
	const out = rows.map(({ line, cells }) => ({
		line,
		values: Object.fromEntries(IMPORT_HEADERS.map((h) => [h, cells[header.indexOf(h)] ?? ''])) as Record<
			ImportHeader,
			string
		>
	}));
	if (out.length === 0) throw new SpreadsheetError('表格中没有成员数据：请在表头下方逐行填写');
	return out;
}

/** The downloadable template: the headers and one example row. */
export async function templateXlsx(exampleOffice: string): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('成员');
	sheet.columns = IMPORT_HEADERS.map((h) => ({ header: h, key: h, width: h === '单位' ? 24 : 16 }));
	sheet.getColumn('手机号').numFmt = '@';
	sheet.addRow({
		姓名: '张三',
		登录名: 'zhangsan',
		单位: exampleOffice,
		职务: '科员',
		手机号: '13800000000'
	});
	sheet.getRow(1).font = { bold: true };
	return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function templateCsv(exampleOffice: string): string {
	return (
		'\uFEFF' +
		IMPORT_HEADERS.join(',') +
		'\r\n' +
		['张三', 'zhangsan', exampleOffice, '科员', '13800000000'].join(',') +
		'\r\n'
	);
}
