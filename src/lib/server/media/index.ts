/**
 * Media of authored lessons: uploads (streamed to disk with bounded memory, type decided by
 * content, size limited per kind), the owner's library, the editor's picker, and serving with
 * HTTP Range to those allowed. Files live under MEDIA_DIR by SHA-256 (store.ts).
 */
export {
	MEDIA_LIMITS,
	MAX_MEDIA_BYTES,
	MAX_UPLOAD_BODY,
	MEDIA_UPLOAD_PATH,
	UPLOAD_ERRORS,
	KIND_LABELS,
	isUploadErrorCode,
	type UploadErrorCode
} from './limits';
export { mediaDir, mediaFilePath } from './store';
export { uploadMedia, FILE_FIELD, type UploadRequest, type UploadResult } from './upload';
export {
	mediaLibrary,
	mediaOptions,
	ownedMedia,
	markdownSnippet,
	sizeLabel,
	MEDIA_PAGE_SIZE,
	MEDIA_SORTS,
	type MediaItem,
	type MediaOption,
	type MediaSort,
	type LibraryRow
} from './library';
export { canFetchMedia, fetchableMedia, MEDIA_NOT_FOUND, type FetchableMedia } from './access';
export { mediaResponse, contentDisposition, downloadName } from './serve';
