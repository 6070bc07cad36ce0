// The directory's posts a plan or a class may address (the server's `POSITIONS`).
export const POSITIONS: [string, string][] = [
  ['window_staff', '窗口人员'],
  ['dept_reviewer', '部门审核人员'],
  ['center_admin', '中心管理人员'],
  ['guide', '导服人员'],
]
