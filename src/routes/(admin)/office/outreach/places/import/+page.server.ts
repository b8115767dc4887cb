import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { receiveSheet } from '$lib/server/spreadsheet/upload';
import {
	importPlaces,
	OUT_OF_SCOPE,
	PLACE_FILE_TOO_LARGE,
	PLACE_IMPORT_BYTES,
	placesOffice
} from '$lib/server/outreach';
import type { Actions, PageServerLoad } from './$types';

/** 导入宣讲地点 into the office the admin looks at (`?office=`, their own by default). */
export const load: PageServerLoad = ({ locals, url }) => {
	const office = placesOffice(getDb(), locals.user!, url.searchParams.get('office'));
	if (!office) error(404, { message: OUT_OF_SCOPE });
	return { office: { id: office.id, name: office.name } };
};

/** Every row's problem is listed beside the file field; nothing is written until all are right. */
type Problems = { problems: string[] };

export const actions: Actions = {
	default: async (event) => {
		const { request, url, locals } = event;
		const db = getDb();
		const office = placesOffice(db, locals.user!, url.searchParams.get('office'));
		if (!office) return refuse(404, OUT_OF_SCOPE);
		const sheet = await receiveSheet(request, { bytes: PLACE_IMPORT_BYTES, tooLarge: PLACE_FILE_TOO_LARGE });
		if (!sheet.ok) return refuse(400, { file: sheet.message });
		const { file } = sheet;
		const result = await importPlaces(
			db,
			actorOf(event),
			office.id,
			file.name,
			new Uint8Array(await file.arrayBuffer())
		);
		if (!result.ok) {
			const [first] = result.errors;
			if (result.errors.length === 1 && !first!.startsWith('第 '))
				return refuse<Problems>(400, { file: first! }, { problems: [] });
			return refuse<Problems>(
				400,
				{ file: '表格中有需要修改的行，没有导入任何地点。请按下列提示改好后重新上传：' },
				{ problems: result.errors }
			);
		}
		return { imported: { ...result, fileName: file.name } };
	}
};
