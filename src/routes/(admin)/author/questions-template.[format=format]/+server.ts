import { bankTemplate, fileResponse } from '$lib/server/question-bank';
import type { RequestHandler } from './$types';

/** The question bank's import template (an example row per type; the .xlsx also a 说明 sheet). */
export const GET: RequestHandler = async ({ params }) => fileResponse(await bankTemplate(params.format));
