// A video's poster frame, taken in the browser: the frame at one second (or
// a tenth of a short video) drawn to a canvas as a JPEG. A video this
// browser cannot decode gives no frame, and the admin is told: the learners'
// phones would fail the same way.

const MAX_WIDTH = 640

export async function capturePoster(file: Blob, timeoutMs = 8000): Promise<Blob> {
  const url = URL.createObjectURL(file)
  const video = document.createElement('video')
  video.muted = true
  video.preload = 'auto'
  video.playsInline = true
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('读取视频画面超时')), timeoutMs)
      video.onerror = () => {
        clearTimeout(timer)
        reject(new Error('浏览器无法解码该视频（须为 H.264 编码的 MP4），学员的手机也可能无法播放'))
      }
      video.onloadeddata = () => {
        video.currentTime = Math.min(1, (video.duration || 0) / 10)
      }
      video.onseeked = () => {
        clearTimeout(timer)
        resolve()
      }
      video.src = url
    })
    const scale = Math.min(1, MAX_WIDTH / Math.max(1, video.videoWidth))
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(video.videoWidth * scale)
    canvas.height = Math.round(video.videoHeight * scale)
    canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height)
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('无法生成封面图片'))), 'image/jpeg', 0.85),
    )
  } finally {
    video.removeAttribute('src')
    URL.revokeObjectURL(url)
  }
}
