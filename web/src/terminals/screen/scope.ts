// What one hall screen covers, from its URL: `&lines=A,B` (line prefixes) and
// `&windows=01-16,25` (window codes and ranges). A floor's screen then shows
// and announces only its own lines and windows; without them, everything.
export interface Scope {
  lines: Set<string> | null
  windows: Set<string> | null
}

function list(v: string | null): string[] {
  return (v ?? '').split(/[,，\s]+/).map((s) => s.trim()).filter(Boolean)
}

export function parseScope(params: URLSearchParams): Scope {
  const lines = list(params.get('lines')).map((s) => s.toUpperCase())
  const windows: string[] = []
  for (const part of list(params.get('windows'))) {
    const range = part.match(/^(\d+)-(\d+)$/)
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])]
      const width = Math.max(range[1].length, 2)
      for (let n = Math.min(from, to); n <= Math.max(from, to); n++) windows.push(String(n).padStart(width, '0'))
    } else {
      windows.push(part)
    }
  }
  return { lines: lines.length ? new Set(lines) : null, windows: windows.length ? new Set(windows) : null }
}

export const showsLine = (s: Scope, prefix: string) => !s.lines || s.lines.has(prefix)
export const showsWindow = (s: Scope, code: string) => !s.windows || s.windows.has(code)
