// The bounds every uploaded member sheet is read within, checked cell by cell while the file is
// read, so a hostile file is refused before it costs memory or reaches the database.

export class SpreadsheetError extends Error {}

/** Members in one file (the header row comes on top). */
export const MAX_IMPORT_ROWS = 2000;
/** Columns a member sheet may use; the template has five. */
export const MAX_COLUMNS = 30;
/** Characters in one cell; every member field is far shorter. */
export const MAX_CELL_CHARS = 200;
/**
 * Rows read in all, blank ones included: enough for every member with blank lines between,
 * and a bound on the work a file of empty rows can cause.
 */
export const MAX_SHEET_LINES = MAX_IMPORT_ROWS * 5;

/** Excel's column letters: 1 → A, 27 → AA. */
export function columnLetters(column: number): string {
	let s = '';
	for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
	return s;
}

/** Refuses a non-empty cell outside the columns a member sheet may use, or too long to be a member field. */
export function checkCell(line: number, column: number, text: string): void {
	if (column > MAX_COLUMNS) {
		throw new SpreadsheetError(
			`第 ${line} 行第 ${columnLetters(column)} 列有内容，超过了 ${MAX_COLUMNS} 列：请只保留模板中的各列后重试`
		);
	}
	if (text.length > MAX_CELL_CHARS) {
		throw new SpreadsheetError(
			`第 ${line} 行 ${columnLetters(column)} 列的内容超过 ${MAX_CELL_CHARS} 个字：请检查该单元格后重试`
		);
	}
}

export type SheetRow = { line: number; cells: string[] };

/** Collects the non-blank rows of a sheet as they are read, refusing once there are too many. */
export class SheetRows {
	readonly rows: SheetRow[] = [];
	private lines = 0;

	/** Counts a row read from the file, blank or not. */
	countLine(): void {
		if (++this.lines > MAX_SHEET_LINES) {
			throw new SpreadsheetError(
				`表格超过 ${MAX_SHEET_LINES} 行（含空行）：请删除成员下方多余的空行，或分批导入`
			);
		}
	}

	/** Keeps a row whose cells passed checkCell; blank rows are dropped. */
	add(line: number, cells: string[]): void {
		if (cells.every((c) => !c)) return;
		// The header plus the members.
		if (this.rows.length > MAX_IMPORT_ROWS) throw tooManyRows();
		this.rows.push({ line, cells });
	}
}

const tooManyRows = () => new SpreadsheetError(`一次最多导入 ${MAX_IMPORT_ROWS} 人，请分批导入`);
