import type { Queryable } from '../db';
import { exportHeading } from '../participation/export';
import { docOf, ownedDraft } from '../authoring/store';
import { authorOwner, type AuthorUser } from '../authoring/owner';
import type { ModuleDoc } from '../authoring/doc';
import { bankCsv, bankTemplateCsv, bankTemplateXlsx, bankXlsx } from './sheet';
import { giftSkipped, toGift } from './gift';
import { toAiken } from './aiken';

/*
 * A draft's question bank as a file (issue #16): the Excel template's columns (.xlsx, .csv),
 * Moodle GIFT and Aiken (single choice only). File names carry the module's title and the day.
 */

export const EXPORT_KINDS = ['xlsx', 'csv', 'gift', 'aiken'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_LABELS: Record<ExportKind, string> = {
	xlsx: 'Excel（.xlsx）',
	csv: 'CSV（.csv）',
	gift: 'Moodle GIFT（.gift.txt）',
	aiken: 'Moodle Aiken（.txt）'
};

export interface BankFile {
	body: Uint8Array<ArrayBuffer> | string;
	fileName: string;
	contentType: string;
	/** Questions the format cannot hold (Aiken: all but single choice). */
	skipped: number;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV = 'text/csv; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';

/** What the export page says: how many questions each format takes. */
export function exportCounts(doc: ModuleDoc): {
	total: number;
	giftSkipped: number;
	aiken: number;
	aikenSkipped: number;
} {
	const aiken = doc.questions.filter((q) => q.type === 'single').length;
	return {
		total: doc.questions.length,
		giftSkipped: giftSkipped(doc),
		aiken,
		aikenSkipped: doc.questions.length - aiken
	};
}

/** The bank of a draft of the user's owner in one format; null when the draft is not theirs. */
export async function exportBank(
	db: Queryable,
	user: AuthorUser,
	draftId: number,
	kind: ExportKind,
	now = new Date()
): Promise<BankFile | null> {
	const row = ownedDraft(db, authorOwner(user), draftId);
	if (!row) return null;
	const doc = docOf(row);
	const base = exportHeading({ office: doc.title, title: '题库' }, now).fileName;
	switch (kind) {
		case 'xlsx':
			return {
				body: new Uint8Array(await bankXlsx(doc)),
				fileName: `${base}.xlsx`,
				contentType: XLSX,
				skipped: 0
			};
		case 'csv':
			return { body: bankCsv(doc), fileName: `${base}.csv`, contentType: CSV, skipped: 0 };
		case 'gift':
			return {
				body: toGift(doc),
				fileName: `${base}.gift.txt`,
				contentType: TEXT,
				skipped: giftSkipped(doc)
			};
		case 'aiken': {
			const { text, skipped } = toAiken(doc);
			return { body: text, fileName: `${base}-Aiken.txt`, contentType: TEXT, skipped };
		}
	}
}

/** The import template (an example row per type; the .xlsx also a 说明 sheet). */
export async function bankTemplate(format: 'xlsx' | 'csv'): Promise<BankFile> {
	return format === 'xlsx'
		? {
				body: new Uint8Array(await bankTemplateXlsx()),
				fileName: '题库导入模板.xlsx',
				contentType: XLSX,
				skipped: 0
			}
		: { body: bankTemplateCsv(), fileName: '题库导入模板.csv', contentType: CSV, skipped: 0 };
}

/** The download response of a file (exports and templates are never cached). */
export function fileResponse(file: BankFile): Response {
	return new Response(file.body, {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
			'cache-control': 'no-store'
		}
	});
}
