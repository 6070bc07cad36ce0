//! Integration tests of the server through HTTP, against SQLite by default and
//! PostgreSQL when GOVHALL_TEST_DATABASE_URL is set. One test binary for the crate.

mod access_matrix;
mod accounts;
mod analytics;
mod analytics_cube;
mod appointments;
mod audit;
mod auth;
mod calendar;
mod case_returns;
mod cases;
mod catalog;
mod devices;
mod directory;
mod events;
mod hr_attendance;
mod hr_leave;
mod hr_lifecycle;
mod hr_recruitment;
mod hr_welfare;
mod instances;
mod joint;
mod modules;
mod notify;
mod ops;
mod payroll;
mod pii;
mod queue;
mod reception;
mod semantic;
mod spawned;
mod training;
mod training_classes;
mod training_exams;
mod voice;
mod windows;
