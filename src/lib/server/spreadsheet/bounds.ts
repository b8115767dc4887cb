// The bounds an uploaded sheet is read within, checked cell by cell while the file is read, so
// a hostile file is refused before it costs memory or reaches the database. Each import (the
// member list, the question bank) reads with its own `SheetLimits`.

export class SpreadsheetError extends Error {}

export interface SheetLimits {
	/** Data rows in one file (the header row, and any title rows above it, come on top). */
	rows: number;
	/** Columns the sheet may use: a non-empty cell further right refuses the file. */
	columns: number;
	/** Characters in one cell. */
	cellChars: number;
	/**
	 * Rows read in all, blank ones included: enough for every data row with blank lines
	 * between, and a bound on the work a file of empty rows can cause.
	 */
	lines: number;
	/** What the parts of an .xlsx may unzip to in all. */
	unzippedBytes: number;
	/** Parts in an .xlsx's zip; a workbook saved by Excel or WPS has about a dozen. */
	zipEntries: number;
	/** The words of the refusals. */
	words: {
		/** What such a file is: 成员名单, 题库. */
		sheet: string;
		/** The table to keep when a workbook is too large: 成员表, 题目表. */
		table: string;
		/** What the rows are: 成员, 题目. */
		rows: string;
		/** The refusal of too many data rows: 一次最多导入 2000 人，请分批导入. */
		tooManyRows: string;
	};
}

/** Excel's column letters: 1 → A, 27 → AA. */
export function columnLetters(column: number): string {
	let s = '';
	for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
	return s;
}

/** Refuses a non-empty cell outside the columns the sheet may use, or longer than a cell may be. */
export function checkCell(limits: SheetLimits, line: number, column: number, text: string): void {
	if (column > limits.columns) {
		throw new SpreadsheetError(
			`第 ${line} 行第 ${columnLetters(column)} 列有内容，超过了 ${limits.columns} 列：请只保留模板中的各列后重试`
		);
	}
	if (text.length > limits.cellChars) {
		throw new SpreadsheetError(
			`第 ${line} 行 ${columnLetters(column)} 列的内容超过 ${limits.cellChars} 个字：请检查该单元格后重试`
		);
	}
}

export type SheetRow = { line: number; cells: string[] };

/** Collects the non-blank rows of a sheet as they are read, refusing once there are too many. */
export class SheetRows {
	readonly rows: SheetRow[] = [];
	private lines = 0;

	constructor(readonly limits: SheetLimits) {}

	/** Counts a row read from the file, blank or not. */
	countLine(): void {
		if (++this.lines > this.limits.lines) {
			throw new SpreadsheetError(
				`表格超过 ${this.limits.lines} 行（含空行）：请删除${this.limits.words.rows}下方多余的空行，或分批导入`
			);
		}
	}

	/** Keeps a row whose cells passed checkCell; blank rows are dropped. */
	add(line: number, cells: string[]): void {
		if (cells.every((c) => !c)) return;
		// The header plus the data rows.
		if (this.rows.length > this.limits.rows) throw new SpreadsheetError(this.limits.words.tooManyRows);
		this.rows.push({ line, cells });
	}
}
