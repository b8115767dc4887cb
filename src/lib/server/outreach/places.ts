/**
 * 宣讲地点: each office's list of the places its members give talks at (人大代表联络站, paired
 * villages, communities), kept by its admins: added, corrected, retired and restored one by one
 * or imported from a spreadsheet. A place is never deleted (talks point at it); a retired one is
 * no longer offered for new talks. Every change is audited in its own transaction.
 */
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../db';
import { outreachPlaces } from '../db/schema';
import { changesOf, recordAudit, type AuditActor } from '../audit';
import { canManageOffice, getOffice, managedOfficeIds, type Actor, type Office } from '../org/offices';
import { byPinyin } from '../users/name-key';
import { parseWith, type FieldErrors, type Parsed } from '../validation';
import { readSheetRows, SpreadsheetError, type SheetLimits } from '../spreadsheet';
import { OUTREACH_LIMITS, PLACE_KIND_LABELS, PLACE_KINDS, type PlaceKind } from '../../outreach';

export interface Place {
	id: number;
	officeId: number;
	name: string;
	township: string;
	kind: PlaceKind;
	active: boolean;
}

const COLUMNS = {
	id: outreachPlaces.id,
	officeId: outreachPlaces.officeId,
	name: outreachPlaces.name,
	township: outreachPlaces.township,
	kind: outreachPlaces.kind,
	active: outreachPlaces.active
};

function byName(a: Place, b: Place): number {
	return byPinyin(a.name, b.name) || a.id - b.id;
}

/**
 * An office's places in pinyin order: the active ones, or with `retired: true` the retired ones
 * too (each says whether it is `active`).
 */
export function listPlaces(
	db: Queryable,
	officeId: number,
	{ retired = false }: { retired?: boolean } = {}
): Place[] {
	const where = retired
		? eq(outreachPlaces.officeId, officeId)
		: and(eq(outreachPlaces.officeId, officeId), eq(outreachPlaces.active, true));
	return db.select(COLUMNS).from(outreachPlaces).where(where).all().sort(byName);
}

export function getPlace(db: Queryable, placeId: number): Place | undefined {
	return db.select(COLUMNS).from(outreachPlaces).where(eq(outreachPlaces.id, placeId)).get();
}

/** The place if the actor manages its office, else nothing (the one scoped loader of places). */
export function managedPlace(db: Queryable, actor: Actor, placeId: number): Place | null {
	const place = getPlace(db, placeId);
	return place && canManageOffice(db, actor, place.officeId) ? place : null;
}

/**
 * The office whose places an admin looks at: `?office=` when it is one they manage, else their
 * own (a sysadmin without one: the first they manage). Null when the asked-for office is not theirs.
 */
export function placesOffice(db: Queryable, actor: Actor, requested: string | null): Office | null {
	const managed = managedOfficeIds(db, actor);
	const id = Number(requested) || actor.officeId || managed[0];
	if (!id || !managed.includes(id)) return null;
	return getOffice(db, id) ?? null;
}

// ------------------------------------------------------------------------------ one place

export const OUT_OF_SCOPE = '没有找到这个单位，或不在您的管理范围内';
export const PLACE_NOT_FOUND = '没有找到这个宣讲地点，或不在您的管理范围内';

/** The place form as sent (trimmed strings, to fill the form in again). */
export interface PlaceInput {
	name: string;
	township: string;
	kind: string;
}

/** Spaces inside a name as one (a pasted name often has two, or a full-width one). */
const tidy = (s: string) => s.replace(/\s+/g, ' ').trim();

const placeSchema = z.object({
	name: z
		.string({ error: '请填写地点名称' })
		.transform(tidy)
		.pipe(
			z
				.string()
				.min(1, { error: '请填写地点名称' })
				.max(OUTREACH_LIMITS.placeName, { error: `地点名称不能超过 ${OUTREACH_LIMITS.placeName} 个字` })
		),
	township: z
		.string()
		.default('')
		.transform(tidy)
		.pipe(
			z.string().max(OUTREACH_LIMITS.township, {
				error: `乡镇（街道）不能超过 ${OUTREACH_LIMITS.township} 个字`
			})
		),
	kind: z.enum(PLACE_KINDS, { error: '请选择地点类型' })
});

export type PlaceData = z.output<typeof placeSchema>;

/** The place form's fields from a submitted form. */
export function placeInputFrom(form: FormData): PlaceInput {
	const text = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v.trim() : '';
	};
	return { name: text('name'), township: text('township'), kind: text('kind') };
}

/**
 * Checks a place's fields (name 1–60 characters, township up to 30, a known kind); errors are
 * keyed `name`, `township`, `kind`. The talk form's inline new place uses it with its own keys.
 */
export function checkPlace(input: Partial<PlaceInput>): Parsed<PlaceData> {
	return parseWith(placeSchema, input);
}

/** The place of this name in the office (active or retired), if any. */
export function placeNamed(db: Queryable, officeId: number, name: string): Place | undefined {
	return db
		.select(COLUMNS)
		.from(outreachPlaces)
		.where(and(eq(outreachPlaces.officeId, officeId), eq(outreachPlaces.name, name)))
		.get();
}

/** The refusal of a name the office already uses. */
export function nameTakenMessage(place: Pick<Place, 'name' | 'active'>): string {
	return place.active
		? `本单位已有名为“${place.name}”的地点`
		: `本单位已有名为“${place.name}”的地点（已停用，可在列表下方恢复）`;
}

const kindLabel = (kind: string) => PLACE_KIND_LABELS[kind as PlaceKind] ?? kind;

const CHANGE_LABELS = { name: '名称', township: '乡镇（街道）', kind: '类型' } as const;

export type SaveResult = { ok: true; id: number } | { ok: false; errors: FieldErrors };

/**
 * Adds a place to an office the actor manages (placeId omitted) or corrects one of its places.
 * Refuses beside the field: a missing or long name, a long township, an unknown kind, a name the
 * office already has. The row and its audit entry are written in one transaction.
 */
export function savePlace(
	db: Db,
	actor: AuditActor,
	officeId: number,
	input: Partial<PlaceInput>,
	placeId?: number
): SaveResult {
	if (!canManageOffice(db, actor, officeId)) return { ok: false, errors: { _form: OUT_OF_SCOPE } };
	const parsed = checkPlace(input);
	if (!parsed.ok) return parsed;
	const data = parsed.data;
	return db.transaction((tx): SaveResult => {
		const before = placeId === undefined ? undefined : getPlace(tx, placeId);
		if (placeId !== undefined && (!before || before.officeId !== officeId))
			return { ok: false, errors: { _form: PLACE_NOT_FOUND } };
		const same = placeNamed(tx, officeId, data.name);
		if (same && same.id !== placeId) return { ok: false, errors: { name: nameTakenMessage(same) } };
		const now = new Date();
		if (!before) {
			const row = tx
				.insert(outreachPlaces)
				.values({ officeId, ...data, createdAt: now, updatedAt: now })
				.returning({ id: outreachPlaces.id })
				.get();
			recordAudit(tx, actor, {
				action: 'place.create',
				officeId,
				target: { type: 'place', id: row.id },
				summary: `新增宣讲地点“${data.name}”（${kindLabel(data.kind)}）`,
				at: now
			});
			return { ok: true, id: row.id };
		}
		const changes = changesOf(
			CHANGE_LABELS,
			{ ...before, kind: kindLabel(before.kind) },
			{ ...data, kind: kindLabel(data.kind) }
		);
		if (changes.length === 0) return { ok: true, id: before.id };
		tx.update(outreachPlaces)
			.set({ ...data, updatedAt: now })
			.where(eq(outreachPlaces.id, before.id))
			.run();
		recordAudit(tx, actor, {
			action: 'place.update',
			officeId,
			target: { type: 'place', id: before.id },
			summary: `修改宣讲地点“${data.name}”`,
			detail: { changes },
			at: now
		});
		return { ok: true, id: before.id };
	});
}

/**
 * Retires a place (no longer offered for new talks; the talks held there keep it) or restores
 * it. False when the place is not in the actor's scope; a place already so is left as it is.
 */
export function setPlaceActive(db: Db, actor: AuditActor, placeId: number, active: boolean): boolean {
	return db.transaction((tx) => {
		const place = managedPlace(tx, actor, placeId);
		if (!place) return false;
		if (place.active === active) return true;
		const now = new Date();
		tx.update(outreachPlaces).set({ active, updatedAt: now }).where(eq(outreachPlaces.id, placeId)).run();
		const status = (a: boolean) => (a ? '在用' : '已停用');
		recordAudit(tx, actor, {
			action: 'place.update',
			officeId: place.officeId,
			target: { type: 'place', id: placeId },
			summary: `${active ? '恢复' : '停用'}宣讲地点“${place.name}”`,
			detail: { changes: [{ label: '状态', from: status(!active), to: status(active) }] },
			at: now
		});
		return true;
	});
}

export const retirePlace = (db: Db, actor: AuditActor, placeId: number) =>
	setPlaceActive(db, actor, placeId, false);
export const restorePlace = (db: Db, actor: AuditActor, placeId: number) =>
	setPlaceActive(db, actor, placeId, true);

// ------------------------------------------------------------------------------ import

/** An import file's size as uploaded: 500 places are a few dozen kilobytes. */
export const PLACE_IMPORT_BYTES = 1024 * 1024;

const MAX_ROWS = OUTREACH_LIMITS.importRows;

export const PLACE_FILE_TOO_LARGE = `文件不能超过 ${PLACE_IMPORT_BYTES / 1024 / 1024} MB：请删去多余的工作表或内容后重试`;

export const PLACE_SHEET: SheetLimits = {
	rows: MAX_ROWS,
	// The template has three.
	columns: 10,
	cellChars: 100,
	lines: MAX_ROWS * 5,
	unzippedBytes: 5 * 1024 * 1024,
	zipEntries: 100,
	words: {
		sheet: '宣讲地点表',
		table: '地点表',
		rows: '地点',
		tooManyRows: `一次最多导入 ${MAX_ROWS} 个地点，请分批导入`
	}
};

export const PLACE_HEADERS = ['名称', '乡镇（街道）', '类型'] as const;

/** Header cells compared without spaces and with either kind of bracket. */
const headerKey = (s: string) => s.replace(/\s/g, '').replace(/（/g, '(').replace(/）/g, ')');

const HEADER_ALIASES: Record<(typeof PLACE_HEADERS)[number], string[]> = {
	名称: ['名称', '地点名称', '地点'],
	'乡镇（街道）': ['乡镇(街道)', '乡镇', '街道', '乡镇街道', '所在乡镇(街道)'],
	类型: ['类型', '地点类型']
};

const KIND_WORDS: Record<string, PlaceKind> = {};
for (const kind of PLACE_KINDS) {
	KIND_WORDS[headerKey(PLACE_KIND_LABELS[kind])] = kind;
	KIND_WORDS[kind] = kind;
}
Object.assign(KIND_WORDS, {
	联络站: 'liaison_station',
	代表联络站: 'liaison_station',
	人大代表联络站点: 'liaison_station',
	驻村包联点: 'village',
	包联村: 'village',
	村: 'village',
	其它: 'other'
} satisfies Record<string, PlaceKind>);

const KIND_CHOICES = '人大代表联络站、驻村包联点（村）、社区或其他';

/** A sheet's kind cell as a kind: its label, a short form (联络站, 村) or the code. */
export function kindFromCell(cell: string): PlaceKind | null {
	return KIND_WORDS[headerKey(cell).toLowerCase()] ?? null;
}

interface SheetPlace {
	line: number;
	name: string;
	township: string;
	kind: PlaceKind;
}

/** The rows of a place sheet, or every row's problems (第 N 行：…) when any row has one. */
async function readPlaceSheet(
	fileName: string,
	bytes: Uint8Array
): Promise<{ ok: true; places: SheetPlace[] } | { ok: false; errors: string[] }> {
	if (bytes.length === 0) throw new SpreadsheetError('文件是空的：请选择填好的地点表');
	if (bytes.length > PLACE_IMPORT_BYTES) throw new SpreadsheetError(PLACE_FILE_TOO_LARGE);
	const [headerRow, ...rows] = await readSheetRows(fileName, bytes, PLACE_SHEET);
	const header = (headerRow?.cells ?? []).map(headerKey);
	const column = Object.fromEntries(
		PLACE_HEADERS.map((h) => [h, header.findIndex((cell) => HEADER_ALIASES[h].includes(cell))])
	) as Record<(typeof PLACE_HEADERS)[number], number>;
	const missing = (['名称', '类型'] as const).filter((h) => column[h] < 0);
	if (!headerRow || missing.length)
		throw new SpreadsheetError(
			`表头不完整，缺少：${missing.join('、') || '名称、类型'}。请下载模板，按模板表头填写`
		);
	if (rows.length === 0) throw new SpreadsheetError('表格中没有地点：请在表头下方逐行填写');

	const cell = (cells: string[], h: (typeof PLACE_HEADERS)[number]) =>
		column[h] < 0 ? '' : tidy(cells[column[h]] ?? '');
	const errors: string[] = [];
	const places: SheetPlace[] = [];
	const seen = new Map<string, number>();
	for (const { line, cells } of rows) {
		const problems: string[] = [];
		const name = cell(cells, '名称');
		const township = cell(cells, '乡镇（街道）');
		const kindCell = cell(cells, '类型');
		const kind = kindFromCell(kindCell);
		if (!name) problems.push('请填写名称');
		else if (name.length > OUTREACH_LIMITS.placeName)
			problems.push(`名称不能超过 ${OUTREACH_LIMITS.placeName} 个字`);
		else if (seen.has(name)) problems.push(`名称“${name}”与第 ${seen.get(name)} 行重复`);
		if (township.length > OUTREACH_LIMITS.township)
			problems.push(`乡镇（街道）不能超过 ${OUTREACH_LIMITS.township} 个字`);
		if (!kindCell) problems.push(`请填写类型（${KIND_CHOICES}）`);
		else if (!kind) problems.push(`类型“${kindCell}”应为${KIND_CHOICES}`);
		if (name && !seen.has(name)) seen.set(name, line);
		if (problems.length) errors.push(`第 ${line} 行：${problems.join('；')}`);
		else places.push({ line, name, township, kind: kind! });
	}
	return errors.length ? { ok: false, errors } : { ok: true, places };
}

/** Rows listed in a refusal; the rest are counted. */
const LISTED_ERRORS = 100;

export type ImportResult =
	| { ok: true; added: number; updated: number; restored: number; unchanged: number }
	| { ok: false; errors: string[] };

/**
 * Imports an office's places from an .xlsx or .csv (名称, 乡镇（街道）, 类型): all or nothing.
 * A file that breaks a bound or a header is refused with one message; otherwise every row with a
 * problem is listed (第 N 行：…) and nothing is written. When all rows are good, new names are
 * added, existing ones (retired ones too, which are restored) take the sheet's township and
 * kind, and one `place.import` entry records the counts, all in one transaction.
 */
export async function importPlaces(
	db: Db,
	actor: AuditActor,
	officeId: number,
	fileName: string,
	bytes: Uint8Array
): Promise<ImportResult> {
	if (!canManageOffice(db, actor, officeId)) return { ok: false, errors: [OUT_OF_SCOPE] };
	let sheet: Awaited<ReturnType<typeof readPlaceSheet>>;
	try {
		sheet = await readPlaceSheet(fileName, bytes);
	} catch (e) {
		if (e instanceof SpreadsheetError) return { ok: false, errors: [e.message] };
		throw e;
	}
	if (!sheet.ok) {
		const { errors } = sheet;
		if (errors.length <= LISTED_ERRORS) return sheet;
		return {
			ok: false,
			errors: [...errors.slice(0, LISTED_ERRORS), `另有 ${errors.length - LISTED_ERRORS} 行有误，未全部列出`]
		};
	}
	const places = sheet.places;
	return db.transaction((tx) => {
		const existing = new Map(listPlaces(tx, officeId, { retired: true }).map((p) => [p.name, p]));
		const now = new Date();
		const counts = { added: 0, updated: 0, restored: 0, unchanged: 0 };
		for (const p of places) {
			const before = existing.get(p.name);
			if (!before) {
				tx.insert(outreachPlaces)
					.values({
						officeId,
						name: p.name,
						township: p.township,
						kind: p.kind,
						createdAt: now,
						updatedAt: now
					})
					.run();
				counts.added++;
				continue;
			}
			if (before.township === p.township && before.kind === p.kind && before.active) {
				counts.unchanged++;
				continue;
			}
			tx.update(outreachPlaces)
				.set({ township: p.township, kind: p.kind, active: true, updatedAt: now })
				.where(eq(outreachPlaces.id, before.id))
				.run();
			if (before.active) counts.updated++;
			else counts.restored++;
		}
		recordAudit(tx, actor, {
			action: 'place.import',
			officeId,
			summary: `导入宣讲地点：新增 ${counts.added} 个，更新 ${counts.updated} 个，恢复 ${counts.restored} 个`,
			detail: { fileName, rows: places.length, ...counts },
			at: now
		});
		return { ok: true as const, ...counts };
	});
}

// ------------------------------------------------------------------------------ template

const EXAMPLES: [string, string, string][] = [
	['城北人大代表联络站', '城北街道', PLACE_KIND_LABELS.liaison_station],
	['枣林村', '信义镇', PLACE_KIND_LABELS.village],
	['凤山社区', '凤山街道', PLACE_KIND_LABELS.community]
];

/** The downloadable place sheet: the headers and three example rows (the kind as a drop-down in Excel). */
export async function placesTemplate(format: 'xlsx' | 'csv'): Promise<Uint8Array<ArrayBuffer>> {
	if (format === 'csv') {
		const lines = [PLACE_HEADERS.join(','), ...EXAMPLES.map((row) => row.join(','))];
		return new TextEncoder().encode('\uFEFF' + lines.join('\r\n') + '\r\n');
	}
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('宣讲地点');
	sheet.columns = PLACE_HEADERS.map((h) => ({ header: h, key: h, width: h === '名称' ? 28 : 18 }));
	for (const row of EXAMPLES) sheet.addRow(row);
	sheet.getRow(1).font = { bold: true };
	const choices = PLACE_KINDS.map((k) => PLACE_KIND_LABELS[k]).join(',');
	for (let r = 2; r <= MAX_ROWS + 1; r++) {
		sheet.getCell(r, 3).dataValidation = {
			type: 'list',
			allowBlank: true,
			formulae: [`"${choices}"`],
			showErrorMessage: true,
			errorTitle: '类型',
			error: `请从列表中选择：${KIND_CHOICES}`
		};
	}
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}
