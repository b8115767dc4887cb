import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipPart {
	name: string;
	data: string | Buffer;
	/** The uncompressed size written in the zip's headers, when a test wants it to lie. */
	declaredSize?: number;
}

/** A zip of deflated parts, byte for byte as the tests want it (hostile ones included). */
export function zip(parts: ZipPart[]): Uint8Array {
	const locals: Buffer[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	for (const part of parts) {
		const data = typeof part.data === 'string' ? Buffer.from(part.data) : part.data;
		const deflated = deflateRawSync(data, { level: 9 });
		const name = Buffer.from(part.name);
		const size = part.declaredSize ?? data.length;
		// The local and the central header share these fields; the central one has "version made by" first.
		const header = (signature: number, central: boolean) => {
			const b = Buffer.alloc(central ? 46 : 30);
			b.writeUInt32LE(signature, 0);
			const at = central ? 6 : 4;
			b.writeUInt16LE(20, at); // version needed
			b.writeUInt16LE(0x0800, at + 2); // UTF-8 names
			b.writeUInt16LE(8, at + 4); // deflate
			b.writeUInt32LE(crc32(data), at + 10);
			b.writeUInt32LE(deflated.length, at + 14);
			b.writeUInt32LE(size, at + 18);
			b.writeUInt16LE(name.length, at + 22);
			if (central) b.writeUInt32LE(offset, 42);
			return b;
		};
		const local = Buffer.concat([header(0x04034b50, false), name, deflated]);
		central.push(Buffer.concat([header(0x02014b50, true), name]));
		locals.push(local);
		offset += local.length;
	}
	const directory = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(parts.length, 8);
	end.writeUInt16LE(parts.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * A minimal .xlsx as spreadsheet programs write it: one sheet (its XML given whole or as the
 * rows inside <sheetData>), optionally a shared string table.
 */
export function xlsxParts(sheet: {
	rows?: string;
	xml?: string | Buffer;
	sharedStrings?: string | Buffer;
}): ZipPart[] {
	return [
		{
			name: '[Content_Types].xml',
			data: `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>`
		},
		{
			name: '_rels/.rels',
			data: `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`
		},
		{
			name: 'xl/workbook.xml',
			data: `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="成员" sheetId="1" r:id="rId1"/></sheets></workbook>`
		},
		{
			name: 'xl/_rels/workbook.xml.rels',
			data: `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
		},
		{
			name: 'xl/worksheets/sheet1.xml',
			data:
				sheet.xml ?? `${XML}<worksheet xmlns="${MAIN}"><sheetData>${sheet.rows ?? ''}</sheetData></worksheet>`
		},
		...(sheet.sharedStrings === undefined
			? []
			: [{ name: 'xl/sharedStrings.xml', data: sheet.sharedStrings }])
	];
}

/** A row of inline-string cells from column A. */
export function inlineRow(line: number, cells: string[]): string {
	const letters = (i: number) => String.fromCharCode(65 + i);
	return `<row r="${line}">${cells.map((c, i) => `<c r="${letters(i)}${line}" t="inlineStr"><is><t>${c}</t></is></c>`).join('')}</row>`;
}
