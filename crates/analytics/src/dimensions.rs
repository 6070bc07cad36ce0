//! What a figure can be broken down by: the dimensions, the time grains, and
//! the fact table (source) each indicator is computed from, with the column
//! each dimension reads there. Every column name here is a constant of the
//! code; requests choose among them by key and never write SQL.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The fact tables the projection keeps (one row per ticket, case, rating …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Tickets,
    Cases,
    /// Cases counted on the day they were decided (办结).
    CasesDecided,
    Ratings,
    Rectifications,
    WindowDays,
    Appointments,
    Guidance,
    Joint,
}

impl Source {
    pub fn table(self) -> &'static str {
        match self {
            Source::Tickets => "analytics_tickets",
            Source::Cases | Source::CasesDecided => "analytics_cases",
            Source::Ratings => "analytics_ratings",
            Source::Rectifications => "analytics_rectifications",
            Source::WindowDays => "analytics_window_days",
            Source::Appointments => "analytics_appointments",
            Source::Guidance => "analytics_guidance",
            Source::Joint => "analytics_joint",
        }
    }

    /// The columns holding the day (`YYYY-MM-DD`, Asia/Shanghai), the Monday
    /// of its week, and the hour, that periods and grains read.
    pub fn time_columns(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Source::CasesDecided => ("d_day", "d_week", "d_hour"),
            _ => ("day", "week", "hour"),
        }
    }

    /// Rows that count for this source at all (decided cases only, …).
    pub fn base_filter(self) -> &'static str {
        match self {
            Source::CasesDecided => "d_day IS NOT NULL",
            _ => "1 = 1",
        }
    }
}

/// What a figure can be grouped or filtered by.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Hall,
    Area,
    Department,
    Window,
    Staff,
    Line,
    Matter,
    Bundle,
    Channel,
}

pub const DIMENSIONS: &[Dimension] = &[
    Dimension::Hall,
    Dimension::Area,
    Dimension::Department,
    Dimension::Window,
    Dimension::Staff,
    Dimension::Line,
    Dimension::Matter,
    Dimension::Bundle,
    Dimension::Channel,
];

impl Dimension {
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Hall => "hall",
            Dimension::Area => "area",
            Dimension::Department => "department",
            Dimension::Window => "window",
            Dimension::Staff => "staff",
            Dimension::Line => "line",
            Dimension::Matter => "matter",
            Dimension::Bundle => "bundle",
            Dimension::Channel => "channel",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Hall => "大厅",
            Dimension::Area => "区域/楼层",
            Dimension::Department => "部门",
            Dimension::Window => "窗口",
            Dimension::Staff => "人员",
            Dimension::Line => "业务队列",
            Dimension::Matter => "事项",
            Dimension::Bundle => "一件事",
            Dimension::Channel => "渠道",
        }
    }

    pub fn parse(key: &str) -> Option<Dimension> {
        DIMENSIONS.iter().copied().find(|d| d.key() == key)
    }

    /// The column of `source` this dimension reads; `None` where the source
    /// does not know it (a ticket has no matter; a guidance search no window).
    pub fn column(self, source: Source) -> Option<&'static str> {
        use Dimension as D;
        use Source as S;
        match (self, source) {
            (D::Hall, _) => Some("hall_id"),
            (
                D::Area | D::Department | D::Window | D::Staff,
                S::Tickets
                | S::Cases
                | S::CasesDecided
                | S::Ratings
                | S::Rectifications
                | S::WindowDays,
            ) => Some(match self {
                D::Area => "area_id",
                D::Department => "department_id",
                D::Window => "window_id",
                _ => "staff_id",
            }),
            (D::Staff | D::Window, S::Joint) => Some(if self == D::Staff {
                "staff_id"
            } else {
                "window_id"
            }),
            (D::Line, S::Tickets | S::Appointments) => Some("line_id"),
            (D::Matter, S::Cases | S::CasesDecided | S::Ratings) => Some("task_code"),
            (D::Bundle, S::Cases | S::CasesDecided | S::Joint) => Some("bundle_code"),
            (D::Channel, S::Tickets | S::Cases | S::CasesDecided | S::Ratings) => Some("channel"),
            _ => None,
        }
    }
}

/// The time grain of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    /// Hour of the day (0–23) over the whole period: the daily profile.
    Hour,
    Day,
    /// ISO week, labelled by its Monday.
    Week,
    Month,
    Quarter,
    Year,
    /// The whole period as one figure.
    Total,
}

impl Grain {
    pub fn label(self) -> &'static str {
        match self {
            Grain::Hour => "时段",
            Grain::Day => "日",
            Grain::Week => "周",
            Grain::Month => "月",
            Grain::Quarter => "季度",
            Grain::Year => "年",
            Grain::Total => "合计",
        }
    }

    /// The SQL expression of the period bucket on `source` (portable between
    /// SQLite and PostgreSQL: text slices and integer arithmetic only).
    pub fn bucket(self, source: Source) -> Option<String> {
        let (day, week, hour) = source.time_columns();
        Some(match self {
            Grain::Hour => format!("CAST({hour} AS TEXT)"),
            Grain::Day => day.to_string(),
            Grain::Week => week.to_string(),
            Grain::Month => format!("substr({day}, 1, 7)"),
            Grain::Quarter => format!(
                "substr({day}, 1, 4) || '-Q' || CAST((CAST(substr({day}, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)"
            ),
            Grain::Year => format!("substr({day}, 1, 4)"),
            Grain::Total => return None,
        })
    }
}
