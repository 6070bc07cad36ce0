// Follows a hall's live event feed (Server-Sent Events) over fetch, so a
// device can send its bearer token (EventSource cannot send headers). On any
// drop it waits, asks the caller to reload its snapshot — which says where to
// resume — and reconnects: a screen that was offline catches up.

export interface FeedEvent {
  seq: number
  event_type: string
  occurred_at: string
  payload: Record<string, unknown>
}

export interface FeedOptions {
  token?: string | null
  /** Reloads the snapshot and returns the sequence number to resume after. */
  resync: () => Promise<number>
  onEvent: (e: FeedEvent) => void
  onState?: (live: boolean) => void
}

export function followFeed(path: string, opts: FeedOptions): () => void {
  let stopped = false
  let controller: AbortController | null = null
  const run = async () => {
    let delay = 1000
    while (!stopped) {
      try {
        const after = await opts.resync()
        controller = new AbortController()
        const headers: Record<string, string> = { accept: 'text/event-stream' }
        if (opts.token) headers.authorization = `Bearer ${opts.token}`
        const resp = await fetch(`${path}?after=${after}`, { headers, credentials: 'same-origin', signal: controller.signal })
        if (!resp.ok || !resp.body) throw new Error(`feed ${resp.status}`)
        opts.onState?.(true)
        delay = 1000
        await read(resp.body, opts.onEvent)
      } catch {
        // Fall through to the reconnect below.
      }
      opts.onState?.(false)
      if (stopped) return
      await new Promise((r) => setTimeout(r, delay))
      delay = Math.min(delay * 2, 10000)
    }
  }
  run()
  return () => {
    stopped = true
    controller?.abort()
  }
}

async function read(body: ReadableStream<Uint8Array>, onEvent: (e: FeedEvent) => void): Promise<void> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n')
    let cut: number
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut)
      buffer = buffer.slice(cut + 2)
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n')
      if (data) onEvent(JSON.parse(data) as FeedEvent)
    }
  }
}
