import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import {
	importPlaces,
	OUT_OF_SCOPE,
	PLACE_FILE_TOO_LARGE,
	PLACE_IMPORT_BYTES,
	placesOffice
} from '$lib/server/outreach/places';
import type { Actions, PageServerLoad } from './$types';

// The form's own fields and the multipart boundaries around the file.
const FORM_OVERHEAD = 64 * 1024;

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
		// Refused from its declared length, before any of it is read.
		if (Number(request.headers.get('content-length')) > PLACE_IMPORT_BYTES + FORM_OVERHEAD)
			return refuse(400, { file: PLACE_FILE_TOO_LARGE });
		let file: FormDataEntryValue | null;
		try {
			file = (await request.formData()).get('file');
		} catch (e) {
			const status = (e as { status?: number }).status;
			return refuse(400, {
				file: status === 413 ? PLACE_FILE_TOO_LARGE : '上传没有完成：请重新选择文件后再试'
			});
		}
		if (!(file instanceof File) || file.size === 0 || !file.name)
			return refuse(400, { file: '请选择要上传的 .xlsx 或 .csv 文件' });
		if (file.size > PLACE_IMPORT_BYTES) return refuse(400, { file: PLACE_FILE_TOO_LARGE });
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
