import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';

export const IMPORT_HEADERS = ['姓名', '登录名', '单位', '职务', '手机号'] as const;
export type ImportHeader = (typeof IMPORT_HEADERS)[number];
export type RawRow = { line: number; values: Record<ImportHeader, string> };

export const MAX_IMPORT_ROWS = 2000;

export class SpreadsheetError extends Error {}

function isZip(bytes: Uint8Array): boolean {
	return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

// Excel on Chinese Windows saves CSV as GBK; accept UTF-8 (with or without BOM) first.
function decodeText(bytes: Uint8Array): string {
	if (bytes.includes(0)) throw new SpreadsheetError('文件不是表格：请上传 .xlsx 或 .csv 文件');
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
	} catch {
		return new TextDecoder('gb18030').decode(bytes);
	}
}

function cellText(value: ExcelJS.CellValue): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
	if (typeof value === 'string' || typeof value === 'boolean') return String(value);
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	if ('richText' in value) return value.richText.map((r) => r.text).join('');
	if ('text' in value && typeof value.text === 'string') return value.text;
	if ('result' in value && value.result !== undefined) return cellText(value.result as ExcelJS.CellValue);
	return '';
}

async function readXlsx(bytes: Uint8Array): Promise<string[][]> {
	const workbook = new ExcelJS.Workbook();
	try {
		await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
	} catch {
		throw new SpreadsheetError('无法读取该 Excel 文件：请用模板另存为 .xlsx 后重试');
	}
	const sheet = workbook.worksheets[0];
	if (!sheet) throw new SpreadsheetError('Excel 文件中没有工作表');
	const rows: string[][] = [];
	sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
		const cells: string[] = [];
		for (let c = 1; c <= Math.max(row.cellCount, IMPORT_HEADERS.length); c++) cells.push(cellText(row.getCell(c).value).trim());
		rows[rowNumber - 1] = cells;
	});
	return Array.from(rows, (r) => r ?? []);
}

function readCsv(bytes: Uint8Array): string[][] {
	try {
		return parseCsv(decodeText(bytes), { relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][];
	} catch (e) {
		if (e instanceof SpreadsheetError) throw e;
		throw new SpreadsheetError('CSV 文件格式不正确：请使用模板填写后另存为 CSV（逗号分隔）');
	}
}

/**
 * Reads the first sheet of an .xlsx or a .csv into rows keyed by the template's
 * Chinese headers (in any column order). Blank lines are skipped; `line` is the
 * row number the admin sees in their spreadsheet program.
 */
export async function readMemberSheet(fileName: string, bytes: Uint8Array): Promise<RawRow[]> {
	if (bytes.length === 0) throw new SpreadsheetError('文件是空的');
	const lower = fileName.toLowerCase();
	let table: string[][];
	if (isZip(bytes)) table = await readXlsx(bytes);
	else if (lower.endsWith('.csv')) table = readCsv(bytes);
	else throw new SpreadsheetError('文件不是表格：请上传 .xlsx 或 .csv 文件');

	const headerIndex = table.findIndex((r) => r.some((c) => c !== ''));
	const header = (table[headerIndex] ?? []).map((c) => c.replace(/\s/g, ''));
	const missing = IMPORT_HEADERS.filter((h) => !header.includes(h));
	if (headerIndex < 0 || missing.length) {
		throw new SpreadsheetError(`表头不完整，缺少：${missing.join('、')}。请下载模板，按模板表头填写`);
	}
	const out: RawRow[] = [];
	for (let i = headerIndex + 1; i < table.length; i++) {
		const cells = table[i] ?? [];
		if (cells.every((c) => !c)) continue;
		const values = Object.fromEntries(
			IMPORT_HEADERS.map((h) => [h, (cells[header.indexOf(h)] ?? '').trim()])
		) as Record<ImportHeader, string>;
		out.push({ line: i + 1, values });
	}
	if (out.length === 0) throw new SpreadsheetError('表格中没有成员数据：请在表头下方逐行填写');
	if (out.length > MAX_IMPORT_ROWS) throw new SpreadsheetError(`一次最多导入 ${MAX_IMPORT_ROWS} 人，请分批导入`);
	return out;
}

/** The downloadable template: the headers and one example row. */
export async function templateXlsx(exampleOffice: string): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('成员');
	sheet.columns = IMPORT_HEADERS.map((h) => ({ header: h, key: h, width: h === '单位' ? 24 : 16 }));
	sheet.getColumn('手机号').numFmt = '@';
	sheet.addRow({ 姓名: '张三', 登录名: 'zhangsan', 单位: exampleOffice, 职务: '科员', 手机号: '13800000000' });
	sheet.getRow(1).font = { bold: true };
	return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function templateCsv(exampleOffice: string): string {
	return '\uFEFF' + IMPORT_HEADERS.join(',') + '\r\n' + ['张三', 'zhangsan', exampleOffice, '科员', '13800000000'].join(',') + '\r\n';
}
