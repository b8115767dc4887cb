import ExcelJS from 'exceljs';
import { readSheetRows, SpreadsheetError, type SheetLimits } from '../spreadsheet';

export { SpreadsheetError };

/** Members in one file (the header row comes on top). */
export const MAX_IMPORT_ROWS = 2000;

/** The bounds of a member sheet: every member field is far shorter than a cell may be. */
export const MEMBER_SHEET: SheetLimits = {
	rows: MAX_IMPORT_ROWS,
	// The template has five.
	columns: 30,
	cellChars: 200,
	lines: MAX_IMPORT_ROWS * 5,
	// A 2,000-member sheet is well under 1 MB.
	unzippedBytes: 20 * 1024 * 1024,
	zipEntries: 500,
	words: {
		sheet: '成员名单',
		table: '成员表',
		rows: '成员',
		tooManyRows: `一次最多导入 ${MAX_IMPORT_ROWS} 人，请分批导入`
	}
};

export const IMPORT_HEADERS = ['姓名', '登录名', '单位', '职务', '手机号'] as const;
export type ImportHeader = (typeof IMPORT_HEADERS)[number];
export type RawRow = { line: number; values: Record<ImportHeader, string> };

/** The rows of an .xlsx (first sheet) or a .csv, refused as soon as the file breaks a bound. */
/**
 * Reads the first sheet of an .xlsx or a .csv into rows keyed by the template's
 * Chinese headers (in any column order). Blank lines are skipped; `line` is the
 * row number the admin sees in their spreadsheet program.
 */
export async function readMemberSheet(fileName: string, bytes: Uint8Array): Promise<RawRow[]> {
	if (bytes.length === 0) throw new SpreadsheetError('文件是空的');
	const [headerRow, ...rows] = await readSheetRows(fileName, bytes, MEMBER_SHEET);
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
