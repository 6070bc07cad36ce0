//! The OpenAI embeddings contract (`POST {base}/embeddings` with `model` and
//! `input`, answered by `data[].embedding` with its `index`), which local
//! model servers on 政务云 (vLLM, Xinference, Ollama, text-embeddings-inference)
//! also speak. Nothing here is sent anywhere the hall did not configure.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Where and how to ask for embeddings.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
}

#[derive(Serialize)]
struct Request<'a> {
    model: &'a str,
    input: &'a [String],
}

#[derive(Deserialize)]
struct Response {
    data: Vec<Datum>,
}

#[derive(Deserialize)]
struct Datum {
    #[serde(default)]
    index: Option<usize>,
    embedding: Vec<f32>,
}

/// Why the endpoint gave no embeddings, in Chinese for the settings page.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("无法连接向量服务：{0}")]
    Unreachable(String),
    #[error("向量服务返回 HTTP {0}")]
    Status(u16),
    #[error("向量服务的应答不符合 OpenAI embeddings 接口：{0}")]
    Malformed(String),
}

impl Endpoint {
    fn url(&self) -> String {
        format!("{}/embeddings", self.base_url.trim_end_matches('/'))
    }

    /// One vector per text, in the texts' order, each scaled to unit length.
    pub async fn embed(
        &self,
        texts: &[String],
        timeout: Duration,
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| EmbedError::Unreachable(e.to_string()))?;
        let mut req = client.post(self.url()).json(&Request {
            model: &self.model,
            input: texts,
        });
        if let Some(key) = self.api_key.as_deref().filter(|k| !k.is_empty()) {
            req = req.bearer_auth(key);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| EmbedError::Unreachable(e.without_url().to_string()))?;
        if !resp.status().is_success() {
            return Err(EmbedError::Status(resp.status().as_u16()));
        }
        let body: Response = resp
            .json()
            .await
            .map_err(|e| EmbedError::Malformed(e.without_url().to_string()))?;
        if body.data.len() != texts.len() {
            return Err(EmbedError::Malformed(format!(
                "请求 {} 条，返回 {} 条",
                texts.len(),
                body.data.len()
            )));
        }
        let mut data = body.data;
        data.sort_by_key(|d| d.index.unwrap_or(usize::MAX));
        let Some(dims) = data.first().map(|d| d.embedding.len()) else {
            return Ok(vec![]);
        };
        if dims == 0 || data.iter().any(|d| d.embedding.len() != dims) {
            return Err(EmbedError::Malformed("向量维度为零或不一致".into()));
        }
        Ok(data
            .into_iter()
            .map(|d| super::vectors::unit(d.embedding))
            .collect())
    }
}
