// Offline call announcements: 「请A023号到5号窗口办理」 assembled from
// pre-rendered clips (web/public/voice/<pack>/, see scripts/voice_clips.py),
// played one after another through a per-screen FIFO so a second call never
// cuts off the first. No network and no system TTS voice needed.

const DIGITS = '零一二三四五六七八九'

/** How a window number is read: 5 → 五, 12 → 十二, 20 → 二十, 105 → 一零五. */
export function numberClips(n: number): string[] {
  if (!Number.isInteger(n) || n < 0) return []
  if (n < 10) return [String(n)]
  if (n < 20) return n === 10 ? ['ten'] : ['ten', String(n - 10)]
  if (n < 100) return n % 10 === 0 ? [String(n / 10), 'ten'] : [String(Math.floor(n / 10)), 'ten', String(n % 10)]
  return String(n).split('')
}

export function numberText(n: number): string {
  return numberClips(n)
    .map((c) => (c === 'ten' ? '十' : DIGITS[Number(c)]))
    .join('')
}

/** Letters and digits of a ticket number, each read on its own: A023 → A 零 二 三. */
function ticketClips(ticket: string): string[] {
  return ticket
    .toUpperCase()
    .split('')
    .filter((c) => /[A-Z0-9]/.test(c))
}

/** The clip sequence of a call; a window code that is not a number is spelt out. */
export function callClips(ticket: string, windowCode: string): string[] {
  const n = /^\d+$/.test(windowCode) ? Number(windowCode) : NaN
  const win = Number.isNaN(n) ? ticketClips(windowCode) : numberClips(n)
  return ['chime', 'please', ...ticketClips(ticket), 'hao', 'to', ...win, 'window']
}

/** The same call as text, for the screen and the log. */
export function callText(ticket: string, windowCode: string): string {
  const n = /^\d+$/.test(windowCode) ? Number(windowCode) : NaN
  return `请${ticket}号到${Number.isNaN(n) ? windowCode : n}号窗口办理`
}

export interface Announcement {
  key: string
  text: string
  status: 'queued' | 'playing' | 'done' | 'silent' | 'failed'
  at: number
}

interface Manifest {
  clips: Record<string, string>
}

/** Plays announcements in order, never two at once, and each call only once. */
export class Announcer {
  readonly log: Announcement[] = []
  private queue: { item: Announcement; clips: string[] }[] = []
  private running = false
  private ctx: AudioContext | null = null
  /** The first pack whose manifest loads (the hall's own, else the built-in one), with its base URL. */
  private manifest: Promise<Manifest & { base: string }> | null = null
  private buffers = new Map<string, Promise<AudioBuffer>>()
  onChange: () => void = () => {}

  constructor(
    private bases: string[] = ['/voice/zh-CN/'],
    public silent = false,
  ) {}

  private async loadManifest(): Promise<Manifest & { base: string }> {
    for (const base of this.bases) {
      const r = await fetch(`${base}manifest.json`).catch(() => null)
      // 204: the hall has no pack of its own; the next base (built-in) serves.
      if (r?.status === 200) return { ...((await r.json()) as Manifest), base }
    }
    throw new Error('没有可用的语音包')
  }

  /** False while the browser still blocks audio until someone touches the screen. */
  get audible(): boolean {
    return this.silent || this.ctx?.state === 'running'
  }

  async unlock(): Promise<void> {
    this.context()
    await this.ctx?.resume()
    this.onChange()
    this.pump()
  }

  enqueue(key: string, text: string, clips: string[]): void {
    // A key is one call (ticket + call count): a feed replay or a double event never repeats it.
    if (this.log.some((a) => a.key === key)) return
    const item: Announcement = { key, text, status: 'queued', at: Date.now() }
    this.log.push(item)
    if (this.log.length > 200) this.log.splice(0, this.log.length - 200)
    this.queue.push({ item, clips })
    this.onChange()
    this.pump()
  }

  get pending(): number {
    return this.queue.length
  }

  private context(): AudioContext | null {
    if (!this.ctx && typeof AudioContext !== 'undefined') this.ctx = new AudioContext()
    return this.ctx
  }

  private async pump(): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      while (this.queue.length) {
        const { item, clips } = this.queue[0]
        if (this.silent) {
          item.status = 'silent'
        } else {
          const ctx = this.context()
          if (!ctx) {
            item.status = 'failed'
          } else {
            if (ctx.state !== 'running') await ctx.resume().catch(() => undefined)
            // Still blocked (no touch yet): keep the queue and wait for unlock().
            if (ctx.state !== 'running') return
            item.status = 'playing'
            this.onChange()
            try {
              await this.play(ctx, clips)
              item.status = 'done'
            } catch {
              item.status = 'failed'
            }
          }
        }
        this.queue.shift()
        this.onChange()
        if (!this.silent) await new Promise((r) => setTimeout(r, 500))
      }
    } finally {
      this.running = false
    }
  }

  private clip(ctx: AudioContext, name: string): Promise<AudioBuffer> {
    let hit = this.buffers.get(name)
    if (!hit) {
      this.manifest ??= this.loadManifest()
      hit = this.manifest.then(async (m) => {
        const file = m.clips[name]
        if (!file) throw new Error(`语音包缺少片段 ${name}`)
        const data = await (await fetch(m.base + file)).arrayBuffer()
        return ctx.decodeAudioData(data)
      })
      this.buffers.set(name, hit)
    }
    return hit
  }

  /** Schedules the clips back to back and resolves when the last one ends. */
  private async play(ctx: AudioContext, clips: string[]): Promise<void> {
    const buffers = await Promise.all(clips.map((c) => this.clip(ctx, c)))
    let t = ctx.currentTime + 0.05
    for (const b of buffers) {
      const src = ctx.createBufferSource()
      src.buffer = b
      src.connect(ctx.destination)
      src.start(t)
      t += b.duration
    }
    await new Promise((r) => setTimeout(r, (t - ctx.currentTime) * 1000 + 50))
  }
}
