// Every admin page registers here once: its menu group, the permission that
// shows it, and the component that renders it. The layout builds the grouped
// menu and the routing from this list; a module's pages are one entry each.
import type { Component } from 'vue'
import { RESOURCES, type ResourceDef } from './resources'
import TodayPage from './TodayPage.vue'
import CrudPage from './CrudPage.vue'
import HallInfo from './HallInfo.vue'
import CalendarPage from './CalendarPage.vue'
import EventsPage from './EventsPage.vue'
import AccountsPage from './AccountsPage.vue'
import AuditPage from './AuditPage.vue'
import DevicesPage from './DevicesPage.vue'
import CatalogPage from './catalog/CatalogPage.vue'
import BundlesPage from './catalog/BundlesPage.vue'
import SynonymsPage from './catalog/SynonymsPage.vue'
import TransferPage from './catalog/TransferPage.vue'
import CompletenessPage from './catalog/CompletenessPage.vue'
import QueueSettingsPage from './queue/QueueSettingsPage.vue'
import RatingsPage from './queue/RatingsPage.vue'
import AppointmentsPage from './queue/AppointmentsPage.vue'
import SkillsPage from './queue/SkillsPage.vue'
import AssistsPage from './queue/AssistsPage.vue'
import NotificationsPage from './notify/NotificationsPage.vue'
import CasesPage from './cases/CasesPage.vue'
import CaseSettingsPage from './cases/CaseSettingsPage.vue'
import AnalysisPage from './analytics/AnalysisPage.vue'
import PlanningPage from './analytics/PlanningPage.vue'
import ReportsPage from './analytics/ReportsPage.vue'
import CoursesPage from './training/CoursesPage.vue'
import QuestionsPage from './training/QuestionsPage.vue'
import MarkingPage from './training/MarkingPage.vue'
import PlansPage from './training/PlansPage.vue'
import TourAdminPage from './training/TourPage.vue'
import StatsPage from './training/StatsPage.vue'
import ClassesPage from './training/ClassesPage.vue'
import AttendancePage from './hr/AttendancePage.vue'
import ChangesPage from './hr/ChangesPage.vue'
import ContractsPage from './hr/ContractsPage.vue'
import GroupsPage from './hr/GroupsPage.vue'
import IitPage from './hr/IitPage.vue'
import LeavePage from './hr/LeavePage.vue'
import PayrollPage from './hr/PayrollPage.vue'
import PayComponentsPage from './hr/PayComponentsPage.vue'
import SchemesPage from './performance/SchemesPage.vue'
import AssessmentsPage from './performance/AssessmentsPage.vue'
import PointsPage from './performance/PointsPage.vue'
import FindingsPage from './performance/FindingsPage.vue'
import ButlersAdminPage from './performance/ButlersPage.vue'
import RotationPage from './performance/RotationPage.vue'
import MentorsPage from './performance/MentorsPage.vue'
import CompetitionsPage from './performance/CompetitionsPage.vue'
import ProfilesPage from './hr/ProfilesPage.vue'
import RecruitmentPage from './hr/RecruitmentPage.vue'
import RosterPage from './hr/RosterPage.vue'
import RatesPage from './hr/RatesPage.vue'
import StatusReportPage from './hr/StatusReportPage.vue'
import UniformsPage from './hr/UniformsPage.vue'
import TeachingPage from './training/TeachingPage.vue'

export interface AdminPage {
  key: string
  label: string
  group: string
  /** Shown to whoever holds this permission. */
  permission: string
  component: Component
  props?: Record<string, unknown>
  /** Works within the chosen hall (re-created when the hall changes). */
  hallScoped: boolean
}

/** Menu groups, in menu order. */
export const GROUPS = ['工作台', '统计分析', '办件', '排队叫号', '事项与导办', '人员培训', '人员管理', '绩效与积分', '大厅与人员', '消息与日志', '安全与审计']

const page = (key: string, label: string, group: string, permission: string, component: Component, props?: Record<string, unknown>): AdminPage =>
  ({ key, label, group, permission, component, props, hallScoped: true })

const resourcePage = (r: ResourceDef) => page(r.key, r.title, '大厅与人员', 'directory.read', CrudPage, { resource: r })

export const PAGES: AdminPage[] = [
  page('today', '今日运行', '工作台', 'events.read', TodayPage),
  page('analysis', '多维分析', '统计分析', 'analytics.read', AnalysisPage),
  page('planning', '窗口测算', '统计分析', 'analytics.hall', PlanningPage),
  page('reports', '成效报告', '统计分析', 'analytics.hall', ReportsPage),
  page('cases', '办件', '办件', 'cases.read', CasesPage),
  page('case-settings', '文书与编号', '办件', 'directory.edit', CaseSettingsPage),
  page('queue-settings', '叫号策略', '排队叫号', 'queue.configure', QueueSettingsPage),
  page('skills', '窗口技能', '排队叫号', 'queue.configure', SkillsPage),
  page('appointments', '预约名单', '排队叫号', 'directory.read', AppointmentsPage),
  page('ratings', '好差评', '排队叫号', 'ratings.manage', RatingsPage),
  page('assists', '帮办代办台账', '排队叫号', 'assists.read', AssistsPage),
  page('catalog', '事项库', '事项与导办', 'catalog.read', CatalogPage),
  page('bundles', '一件事', '事项与导办', 'catalog.read', BundlesPage),
  page('completeness', '完整性报告', '事项与导办', 'catalog.read', CompletenessPage),
  page('synonyms', '检索同义词', '事项与导办', 'catalog.read', SynonymsPage),
  page('catalog-io', '事项导入导出', '事项与导办', 'catalog.read', TransferPage),
  page('training-courses', '培训课程', '人员培训', 'training.manage', CoursesPage),
  page('training-questions', '题库与考试', '人员培训', 'training.manage', QuestionsPage),
  page('training-plans', '培训方案', '人员培训', 'training.manage', PlansPage),
  page('training-classes', '线下培训', '人员培训', 'training.manage', ClassesPage),
  page('training-teaching', '讲师、教材与分类', '人员培训', 'training.manage', TeachingPage),
  page('training-marking', '阅卷', '人员培训', 'training.manage', MarkingPage),
  page('training-tour', '云游大厅', '人员培训', 'training.manage', TourAdminPage),
  page('training-stats', '培训统计', '人员培训', 'training.manage', StatsPage),
  page('hall', '大厅信息', '大厅与人员', 'directory.read', HallInfo),
  ...RESOURCES.map(resourcePage),
  page('calendar', '工作日历', '大厅与人员', 'directory.read', CalendarPage),
  page('devices', '终端设备', '大厅与人员', 'devices.manage', DevicesPage),
  page('notifications', '通知与推送', '消息与日志', 'notifications.manage', NotificationsPage),
  page('events', '实时事件', '消息与日志', 'events.read', EventsPage),
  page('hr-payroll', '月度工资', '人员管理', 'hr.payroll', PayrollPage),
  page('hr-pay-components', '薪资项目', '人员管理', 'hr.payroll', PayComponentsPage),
  page('hr-recruitment', '招聘', '人员管理', 'hr.staff', RecruitmentPage),
  page('hr-changes', '入转调离', '人员管理', 'hr.staff', ChangesPage),
  page('hr-contracts', '劳动合同', '人员管理', 'hr.staff', ContractsPage),
  page('hr-report', '人员状态月报', '人员管理', 'hr.staff', StatusReportPage),
  page('hr-profiles', '人事档案', '人员管理', 'hr.payroll', ProfilesPage),
  page('hr-groups', '班组', '人员管理', 'hr.staff', GroupsPage),
  page('hr-leave', '请假审批', '人员管理', 'hr.leave', LeavePage),
  page('hr-attendance', '考勤月报', '人员管理', 'hr.attendance', AttendancePage),
  page('hr-roster', '排班与班次', '人员管理', 'hr.attendance', RosterPage),
  page('hr-uniforms', '工装与福利', '人员管理', 'hr.staff', UniformsPage),
  page('hr-rates', '五险一金费率', '人员管理', 'hr.payroll', RatesPage),
  page('performance-assessments', '季度考核', '绩效与积分', 'performance.manage', AssessmentsPage),
  page('performance-schemes', '考核方案', '绩效与积分', 'performance.manage', SchemesPage),
  page('performance-points', '积分与光荣榜', '绩效与积分', 'performance.manage', PointsPage),
  page('performance-findings', '异常服务行为', '绩效与积分', 'performance.manage', FindingsPage),
  page('performance-butlers', '金牌管家', '绩效与积分', 'performance.manage', ButlersAdminPage),
  page('performance-rotation', '能力画像与轮岗', '绩效与积分', 'performance.manage', RotationPage),
  page('performance-mentors', '导师结对', '绩效与积分', 'performance.manage', MentorsPage),
  page('performance-competitions', '业务竞赛', '绩效与积分', 'performance.manage', CompetitionsPage),
  { ...page('hr-iit', '个税试算', '人员管理', 'hr.payroll', IitPage), hallScoped: false },
  { ...page('accounts', '账号与会话', '安全与审计', 'accounts.manage', AccountsPage), hallScoped: false },
  { ...page('audit', '审计日志', '安全与审计', 'audit.read', AuditPage), hallScoped: false },
]

/** Where each role starts its day, in order of precedence (a user with
 *  several roles lands on the first that matches). */
const LANDING: [role: string, page: string][] = [
  ['window_staff', 'cases'],
  ['dept_reviewer', 'cases'],
  ['guide', 'assists'],
  ['center_admin', 'today'],
  ['security_admin', 'accounts'],
  ['audit_admin', 'audit'],
  ['system_admin', 'hall'],
]

/** The page a user lands on: their role's own work, else the first they may see. */
export function landingPage(roles: string[], visible: AdminPage[]): string {
  for (const [role, key] of LANDING) {
    if (roles.includes(role) && visible.some((p) => p.key === key)) return key
  }
  return visible[0]?.key ?? ''
}
