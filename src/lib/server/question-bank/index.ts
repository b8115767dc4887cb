/**
 * Question banks in and out (issue #16): the public surface routes call.
 * - types.ts, errors.ts — the readers' contract (SourceQuestion, ParseResult, ImportError, limits)
 * - text.ts, docx.ts — the Chinese exam-paper layout, pasted or in .txt/.docx
 * - gift.ts, aiken.ts — Moodle GIFT and Aiken, in and out
 * - sheet.ts — the Excel/CSV template, in and out
 * - import.ts — format detection, staging for the preview, the confirmed import (one transaction)
 * - export.ts — a draft's bank as a file, the templates
 */

export * from './types';
export { ImportError } from './errors';
export { parseText } from './text';
export { parseDocx } from './docx';
export { parseGift, toGift } from './gift';
export { parseAiken, toAiken } from './aiken';
export { parseSheet, bankTemplateXlsx, bankTemplateCsv, bankXlsx, bankCsv } from './sheet';
export {
	FORMAT_CHOICES,
	FORMAT_EXAMPLES,
	PREVIEW_PAGE_SIZE,
	PREVIEW_SHOWS,
	IMPORT_NOT_FOUND,
	NO_LESSONS,
	EXPECTED,
	detectFormat,
	readSource,
	stageImport,
	importPreview,
	confirmImport,
	discardImport,
	type FormatChoice,
	type ImportInput,
	type ImportPreview,
	type PreviewItem,
	type PreviewShow
} from './import';
export {
	EXPORT_KINDS,
	EXPORT_LABELS,
	exportBank,
	exportCounts,
	bankTemplate,
	fileResponse,
	type ExportKind
} from './export';
