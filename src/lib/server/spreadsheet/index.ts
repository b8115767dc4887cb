/**
 * Reading uploaded spreadsheets (.xlsx and CSV) within bounds, shared by the member import
 * (users/spreadsheet.ts) and the question-bank import (question-bank/sheet.ts): each passes
 * its own `SheetLimits`, and gets the non-blank rows of the first sheet as trimmed cell text.
 */
export {
	checkCell,
	columnLetters,
	SheetRows,
	SpreadsheetError,
	type SheetLimits,
	type SheetRow
} from './bounds';
export { decodeText, isZip, NOT_A_SHEET, readCsvRows } from './csv';
export { readXlsxRows } from './xlsx';
export { readSheetRows } from './rows';
