/**
 * What an upload may be, and the Chinese answer to each refusal. Kept apart from the upload
 * code so form-posts.ts (every request) can know the upload path without loading the parsers.
 */
import type { MediaKind } from '../db/schema';

export const MB = 1024 * 1024;

/** Per kind, the largest file accepted (the limits). */
export const MEDIA_LIMITS: Readonly<Record<MediaKind, number>> = {
	image: 5 * MB,
	pdf: 20 * MB,
	video: 500 * MB,
	audio: 500 * MB
};

export const MAX_MEDIA_BYTES = 500 * MB;

/**
 * The largest request body of an upload: the largest file and 1 MB for the multipart boundaries
 * and part headers. scripts/serve.js sets adapter-node's BODY_SIZE_LIMIT to this (501M).
 */
export const MAX_UPLOAD_BODY = MAX_MEDIA_BYTES + MB;

/** The one path that takes bodies over the app's 8 MB form limit (form-posts.ts). */
export const MEDIA_UPLOAD_PATH = '/author/media/upload';

export const UPLOAD_ERRORS = {
	type: {
		status: 415,
		message: '只能上传 PNG、JPEG、WebP 图片，PDF 文档，MP4（H.264/AAC）视频，MP3/M4A 音频'
	},
	image_size: { status: 413, message: '文件超过 5 MB，图片请压缩后再上传' },
	pdf_size: { status: 413, message: '文件超过 20 MB，PDF 文档请压缩或拆分后再上传' },
	media_size: { status: 413, message: '文件超过 500 MB，音视频请压缩或分段后再上传' },
	codec: {
		status: 415,
		message: 'MP4 视频须为 H.264 视频和 AAC 音频，M4A 须为 AAC 音频：请转换格式后再上传'
	},
	unreadable: {
		status: 422,
		message: '读不出这个音视频文件的时长，文件可能不完整：请重新导出后再上传'
	},
	empty: { status: 400, message: '请选择要上传的文件' },
	incomplete: { status: 400, message: '上传没有完成，请重新选择文件后再试' },
	// adapter-node's BODY_SIZE_LIMIT (set lower than 501M by the operator) stopped the body.
	server_limit: { status: 413, message: '文件太大，服务器未能完整接收：请压缩后再上传' },
	// Not the sender's mistake, but still said in Chinese rather than as a 500.
	storage: { status: 507, message: '服务器存储空间不足，文件没有保存：请联系系统管理员' }
} as const satisfies Record<string, { status: number; message: string }>;

export type UploadErrorCode = keyof typeof UPLOAD_ERRORS;

export function isUploadErrorCode(code: string | null): code is UploadErrorCode {
	return code !== null && Object.hasOwn(UPLOAD_ERRORS, code);
}

/** The refusal of a file too large for its kind. */
export const TOO_LARGE: Readonly<Record<MediaKind, UploadErrorCode>> = {
	image: 'image_size',
	pdf: 'pdf_size',
	video: 'media_size',
	audio: 'media_size'
};

export const KIND_LABELS: Readonly<Record<MediaKind, string>> = {
	image: '图片',
	pdf: 'PDF 文档',
	video: '视频',
	audio: '音频'
};
