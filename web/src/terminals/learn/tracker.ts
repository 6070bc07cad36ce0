// What the player actually played, for the server's watch tracking: the
// stretches between `timeupdate` ticks while playing at a believable pace.
// A jump (a seek) closes the stretch and opens a new one; a report hands over
// the stretches since the last report, each closed at the current position,
// so consecutive reports never overlap.

export type Span = [number, number]

/** The longest believable step between two ticks, in media seconds (ticks come ~4× a second). */
const MAX_STEP = 1.5

export class Tracker {
  private done: Span[] = []
  private open: Span | null = null

  /** The player's position at a tick while playing. */
  tick(position: number): void {
    if (this.open && position >= this.open[1] && position - this.open[1] <= MAX_STEP) {
      this.open[1] = position
      return
    }
    this.close()
    this.open = [position, position]
  }

  /** Playing stopped (pause, seek, end): the current stretch is finished. */
  close(): void {
    if (this.open && this.open[1] - this.open[0] > 0.05) this.done.push(this.open)
    this.open = null
  }

  /** The stretches to report now; the open one continues from where it was cut. */
  take(): Span[] {
    const out = [...this.done]
    this.done = []
    if (this.open && this.open[1] - this.open[0] > 0.05) {
      out.push([this.open[0], this.open[1]])
      this.open = [this.open[1], this.open[1]]
    }
    return join(out).map(([a, b]) => [round(a), round(b)] as Span)
  }
}

/** Sorted, with overlapping stretches joined (the server refuses overlaps within one report). */
function join(spans: Span[]): Span[] {
  const out: Span[] = []
  for (const s of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1]
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1])
    else out.push([s[0], s[1]])
  }
  return out
}

function round(x: number): number {
  return Math.round(x * 100) / 100
}

/** How far the video was watched without a gap from its start (the server's rule, 0.5 s joins). */
export function watchedTo(spans: Span[]): number {
  const sorted = [...spans].sort((a, b) => a[0] - b[0])
  let to = 0
  for (const [a, b] of sorted) {
    if (a > to + 0.5) break
    to = Math.max(to, b)
  }
  return to
}
