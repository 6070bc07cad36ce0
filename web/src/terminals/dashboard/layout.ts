// How the big screen fits a display: it is designed on a 1920×1080 canvas
// and scaled uniformly to the display. A display much wider than 16:9 (an
// LED wall of 5760×1080) shows several screens side by side instead of
// letterboxing one; the rest rotate through the panes.

export const CANVAS_W = 1920
export const CANVAS_H = 1080

export interface Fit {
  /** Screens shown side by side. */
  panes: number
  scale: number
  /** Top-left of the scaled canvas in the viewport, px. */
  left: number
  top: number
}

export function fit(width: number, height: number, screens: number): Fit {
  const aspect = width / Math.max(1, height)
  const panes = Math.max(1, Math.min(screens, Math.round(aspect / (CANVAS_W / CANVAS_H))))
  const scale = Math.min(width / (CANVAS_W * panes), height / CANVAS_H)
  return { panes, scale, left: (width - CANVAS_W * panes * scale) / 2, top: (height - CANVAS_H * scale) / 2 }
}

/** The screens shown in each pane at rotation step `step`. */
export function shown(screens: string[], panes: number, step: number): string[] {
  if (screens.length <= panes) return screens
  return Array.from({ length: panes }, (_, i) => screens[(step * panes + i) % screens.length])
}

/** Milliseconds until the next daily reload, at 04:00 hall time (Asia/Shanghai, UTC+8, no DST). */
export function untilDailyReload(now: Date): number {
  const hallMs = now.getTime() + 8 * 3600_000
  const day = Math.floor(hallMs / 86400_000) * 86400_000
  let next = day + 4 * 3600_000
  if (next <= hallMs) next += 86400_000
  return next - hallMs
}

/** `?screens=live,effect&rotate=30`: which screens rotate, and how often (s, at least 10). */
export function parseRotation(params: URLSearchParams, known: string[]): { screens: string[]; seconds: number } {
  const asked = (params.get('screens') ?? '').split(',').map((s) => s.trim()).filter((s) => known.includes(s))
  const seconds = Math.max(10, Number(params.get('rotate')) || 30)
  return { screens: asked.length ? asked : known, seconds }
}

/**
 * How closely the floor plan packs its window tiles: the panel holds about
 * 36 full tiles (number, current ticket, clerk); a bigger hall gets compact
 * tiles (number and ticket), and beyond 72 windows dense ones (number and
 * colour), so every window stays on the screen.
 */
export function floorDensity(windows: number): 'full' | 'compact' | 'dense' {
  if (windows <= 36) return 'full'
  return windows <= 72 ? 'compact' : 'dense'
}
