// QR codes drawn in the browser (slips, guidance to carry away), offline.
import QRCode from 'qrcode'

export function qrDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, { margin: 1, width: 240, errorCorrectionLevel: 'M' })
}
