//! A scratch PostgreSQL database for a benchmark run, dropped afterwards.

use sea_orm::{ConnectionTrait, Database};

pub struct Scratch {
    admin: String,
    name: String,
    /// Connection URL of the scratch database.
    pub url: String,
}

impl Scratch {
    /// `admin`: a URL of the server's maintenance database, e.g. `postgres://postgres@127.0.0.1:5432/postgres`.
    pub async fn create(admin: &str) -> anyhow::Result<Scratch> {
        let name = format!("govhall_bench_{}", std::process::id());
        let conn = Database::connect(admin).await?;
        conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
            .await?;
        conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await?;
        conn.close().await?;
        let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
        Ok(Scratch {
            admin: admin.to_string(),
            url: format!("{base}/{name}"),
            name,
        })
    }

    pub async fn drop_database(self) -> anyhow::Result<()> {
        let conn = Database::connect(&self.admin).await?;
        conn.execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .await?;
        conn.close().await?;
        Ok(())
    }
}
