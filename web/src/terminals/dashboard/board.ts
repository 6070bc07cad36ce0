// The queue's live board as the big screen reads it (`GET /halls/{hall}/board`).
export interface BoardWindow { id: string; code: string; name: string; status: string; pause_reason: string | null; staff_name: string | null; current: string | null }
export interface BoardLine { line_id: string; prefix: string; name: string; waiting: number; wait_minutes: number; open_windows: number }
export interface BoardCall { ticket_id: string; number: string; window_id: string; called_at: string; called_count: number }
export interface Board { day: string; windows: BoardWindow[]; lines: BoardLine[]; recent_calls: BoardCall[]; last_seq: number }
