// Privacy on a shared terminal: after a stretch without a touch, the page goes
// back to its start so the next person never sees the last one's question,
// answers or half-typed phone. The last seconds are counted down on screen,
// and a touch keeps the page.
import { onMounted, onUnmounted, ref } from 'vue'

/** The idle limit from the page address (`?idle=90`, 15–600 seconds), default 60. */
export function idleSecondsFromUrl(fallback = 60): number {
  const n = Number(new URLSearchParams(window.location.search).get('idle'))
  return Number.isFinite(n) && n >= 15 && n <= 600 ? n : fallback
}

export function useIdleReset(opts: {
  seconds: number
  /** Seconds of countdown shown before the reset. */
  warn: number
  /** Whether there is anything to reset (the start page, empty, has nothing). */
  active: () => boolean
  reset: () => void
}) {
  /** Seconds left while the countdown shows, else null. */
  const left = ref<number | null>(null)
  let last = Date.now()
  let timer: number | undefined

  function touched() {
    last = Date.now()
    left.value = null
  }

  /** Ends the page in `seconds` (after printing a slip) unless someone touches it. */
  function endIn(seconds: number) {
    last = Date.now() - Math.max(0, opts.seconds - seconds) * 1000
    tick()
  }

  function tick() {
    if (!opts.active()) {
      touched()
      return
    }
    const remaining = opts.seconds - (Date.now() - last) / 1000
    if (remaining <= 0) {
      touched()
      opts.reset()
    } else {
      left.value = remaining <= opts.warn ? Math.ceil(remaining) : null
    }
  }

  const events = ['pointerdown', 'keydown', 'input'] as const
  onMounted(() => {
    events.forEach((e) => window.addEventListener(e, touched, { capture: true }))
    timer = window.setInterval(tick, 250)
  })
  onUnmounted(() => {
    events.forEach((e) => window.removeEventListener(e, touched, { capture: true }))
    window.clearInterval(timer)
  })
  return { left, touched, endIn }
}
