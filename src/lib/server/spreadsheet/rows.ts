import { SpreadsheetError, type SheetLimits, type SheetRow } from './bounds';
import { isZip, NOT_A_SHEET, readCsvRows } from './csv';
import { readXlsxRows } from './xlsx';

/**
 * The rows of an uploaded .xlsx (first sheet, told by its content) or .csv (told by its name),
 * refused as soon as the file breaks a bound of `limits`; any other file is NOT_A_SHEET.
 */
export async function readSheetRows(
	fileName: string,
	bytes: Uint8Array,
	limits: SheetLimits
): Promise<SheetRow[]> {
	if (isZip(bytes)) return (await readXlsxRows(bytes, limits)).rows;
	if (fileName.toLowerCase().endsWith('.csv')) return readCsvRows(bytes, limits).rows;
	throw new SpreadsheetError(NOT_A_SHEET);
}
