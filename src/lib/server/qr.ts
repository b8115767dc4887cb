import QRCode from 'qrcode';

/** A QR code of a link as inline SVG (certificates' verification link, the check-in screen). */
export function qrSvg(url: string): Promise<string> {
	return QRCode.toString(url, {
		type: 'svg',
		errorCorrectionLevel: 'M',
		margin: 1,
		color: { dark: '#1f2329', light: '#ffffff' }
	});
}
