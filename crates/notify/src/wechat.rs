//! The hall's WeChat 公众号 (服务号), against WeChat's published API:
//!
//! - web authorization (网页授权, `snsapi_base`, silent): the phone is sent to
//!   `open.weixin.qq.com/connect/oauth2/authorize`, comes back with a `code`,
//!   and `sns/oauth2/access_token` turns the code into the citizen's `openid`
//!   for this 公众号;
//! - template messages (模板消息): `cgi-bin/message/template/send` with an
//!   `access_token` from `cgi-bin/token` (valid 7,200 s, kept and renewed here).
//!
//! The openid is personal data: stored encrypted, shown masked, never logged.

use super::{
    aliyun::percent_encode,
    gateway::{OutgoingWeChat, SendError},
};
use govhall_platform::config::Config;
use serde_json::{Value, json};
use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

/// Renew the access token this long before WeChat says it expires.
const TOKEN_MARGIN: Duration = Duration::from_secs(300);

pub struct WeChat {
    app_id: String,
    app_secret: String,
    api_base: String,
    oauth_base: String,
    /// Message kind → template id.
    templates: BTreeMap<String, String>,
    client: reqwest::Client,
    token: tokio::sync::Mutex<Option<(String, Instant)>>,
}

/// WeChat's `errcode`s that another attempt cannot fix: the openid is not this
/// 公众号's (40003), the citizen does not follow it (43004) or refuses its
/// messages (43101), the template id is wrong (40037), the data is invalid (47003).
const PERMANENT: &[i64] = &[40003, 40037, 43004, 43101, 47003];

/// The access token is invalid or expired (40001, 40014, 42001): fetch a new one.
const STALE_TOKEN: &[i64] = &[40001, 40014, 42001];

impl WeChat {
    /// `None` unless the 公众号 is configured.
    pub fn from_config(c: &Config) -> Option<Self> {
        if !c.wechat_enabled() {
            return None;
        }
        Some(WeChat {
            app_id: c.wechat_app_id.clone().unwrap_or_default(),
            app_secret: c.wechat_app_secret.clone().unwrap_or_default(),
            api_base: c.wechat_api_base.trim_end_matches('/').to_string(),
            oauth_base: c.wechat_oauth_base.trim_end_matches('/').to_string(),
            templates: c.wechat_templates.clone(),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("HTTP client"),
            token: tokio::sync::Mutex::new(None),
        })
    }

    /// Where to send the phone to be identified; WeChat returns it to
    /// `redirect_uri?code=…&state=…` (the address must be under the
    /// 公众号's 网页授权域名).
    pub fn authorize_url(&self, redirect_uri: &str, state: &str) -> String {
        format!(
            "{}/connect/oauth2/authorize?appid={}&redirect_uri={}&response_type=code&scope=snsapi_base&state={}#wechat_redirect",
            self.oauth_base,
            percent_encode(&self.app_id),
            percent_encode(redirect_uri),
            percent_encode(state)
        )
    }

    /// The citizen's openid for the `code` WeChat returned with.
    pub async fn openid(&self, code: &str) -> Result<String, String> {
        let url = format!(
            "{}/sns/oauth2/access_token?appid={}&secret={}&code={}&grant_type=authorization_code",
            self.api_base,
            percent_encode(&self.app_id),
            percent_encode(&self.app_secret),
            percent_encode(code)
        );
        let body = self
            .get_json(&url)
            .await
            .map_err(|e| format!("连接微信失败：{e}"))?;
        match body["openid"].as_str() {
            Some(openid) if !openid.is_empty() => Ok(openid.to_string()),
            _ => Err(format!("微信授权失败：{}", describe(&body))),
        }
    }

    async fn get_json(&self, url: &str) -> Result<Value, reqwest::Error> {
        self.client.get(url).send().await?.json().await
    }

    /// A valid access token; `renew` discards the one kept.
    async fn access_token(&self, renew: bool) -> Result<String, SendError> {
        let mut kept = self.token.lock().await;
        if !renew
            && let Some((token, until)) = kept.as_ref()
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let url = format!(
            "{}/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
            self.api_base,
            percent_encode(&self.app_id),
            percent_encode(&self.app_secret)
        );
        let body = self
            .get_json(&url)
            .await
            .map_err(|e| SendError::retry(format!("连接微信失败：{e}")))?;
        let Some(token) = body["access_token"].as_str().filter(|t| !t.is_empty()) else {
            // A wrong AppSecret or a server address missing from the 公众号's IP
            // whitelist: the hall can fix it, so later attempts may succeed.
            return Err(SendError::retry(format!(
                "获取微信 access_token 失败：{}",
                describe(&body)
            )));
        };
        let lifetime = Duration::from_secs(body["expires_in"].as_u64().unwrap_or(7200));
        *kept = Some((
            token.to_string(),
            Instant::now() + lifetime.saturating_sub(TOKEN_MARGIN),
        ));
        Ok(token.to_string())
    }

    /// Sends one template message; returns WeChat's `msgid`.
    pub async fn send(&self, m: &OutgoingWeChat<'_>) -> Result<String, SendError> {
        let Some(template) = self.templates.get(m.kind) else {
            return Err(SendError::permanent(format!(
                "未配置“{}”对应的微信模板消息（wechat_templates）",
                m.kind
            )));
        };
        let body = template_body(m, template);
        let mut renew = false;
        loop {
            let token = self.access_token(renew).await?;
            let url = format!(
                "{}/cgi-bin/message/template/send?access_token={}",
                self.api_base,
                percent_encode(&token)
            );
            let resp = self
                .client
                .post(url)
                .json(&body)
                .send()
                .await
                .map_err(|e| SendError::retry(format!("连接微信失败：{e}")))?;
            let answer: Value = resp
                .json()
                .await
                .map_err(|e| SendError::retry(format!("微信返回无法解析：{e}")))?;
            let code = answer["errcode"].as_i64().unwrap_or(-1);
            if code == 0 {
                return Ok(answer["msgid"].to_string());
            }
            if STALE_TOKEN.contains(&code) && !renew {
                renew = true;
                continue;
            }
            let message = format!("微信模板消息发送失败：{}", describe(&answer));
            return Err(if PERMANENT.contains(&code) {
                SendError::permanent(message)
            } else {
                SendError::retry(message)
            });
        }
    }
}

/// The request body: `first` is the whole text, then every variable by name.
pub fn template_body(m: &OutgoingWeChat<'_>, template: &str) -> Value {
    let mut data = serde_json::Map::new();
    data.insert("first".into(), json!({"value": m.text}));
    if let Some(vars) = m.params.as_object() {
        for (k, v) in vars {
            let value = match v {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            data.insert(k.clone(), json!({"value": value}));
        }
    }
    let mut body = json!({"touser": m.openid, "template_id": template, "data": data});
    if let Some(link) = m.link {
        body["url"] = json!(link);
    }
    body
}

/// `errcode errmsg` of a WeChat answer.
fn describe(body: &Value) -> String {
    format!(
        "{} {}",
        body["errcode"].as_i64().unwrap_or(-1),
        body["errmsg"].as_str().unwrap_or("无说明")
    )
}

/// `oAbc…wxyz`: enough for a hall to tell two citizens apart in the outbox.
pub fn mask_openid(openid: &str) -> String {
    let chars: Vec<char> = openid.chars().collect();
    if chars.len() <= 8 {
        return "微信用户".into();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("微信 {head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wechat() -> WeChat {
        WeChat::from_config(&Config {
            wechat_app_id: Some("wx520c15f417810387".into()),
            wechat_app_secret: Some("secret".into()),
            ..Config::default()
        })
        .expect("configured")
    }

    /// The shape of the documented authorize URL: parameters in this order,
    /// the redirect address encoded, `#wechat_redirect` last.
    #[test]
    fn builds_the_documented_authorize_url() {
        let url = wechat().authorize_url(
            "https://zwfw.example.gov.cn/api/v1/public/wechat/callback",
            "abc.123",
        );
        assert_eq!(
            url,
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx520c15f417810387\
             &redirect_uri=https%3A%2F%2Fzwfw.example.gov.cn%2Fapi%2Fv1%2Fpublic%2Fwechat%2Fcallback\
             &response_type=code&scope=snsapi_base&state=abc.123#wechat_redirect"
        );
    }

    #[test]
    fn a_template_message_carries_the_text_and_every_variable() {
        let params = json!({"number": "A001", "ahead": 3, "window": "5号窗口"});
        let m = OutgoingWeChat {
            openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
            kind: "ticket.called",
            params: &params,
            text: "请 A001 号到 5号窗口 办理。",
            link: Some("https://zwfw.example.gov.cn/mobile/?ticket=t1"),
        };
        let body = template_body(&m, "TEMPLATE");
        assert_eq!(body["touser"], "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
        assert_eq!(body["template_id"], "TEMPLATE");
        assert_eq!(body["url"], "https://zwfw.example.gov.cn/mobile/?ticket=t1");
        assert_eq!(
            body["data"]["first"]["value"],
            "请 A001 号到 5号窗口 办理。"
        );
        assert_eq!(body["data"]["number"]["value"], "A001");
        assert_eq!(body["data"]["ahead"]["value"], "3");
    }

    #[test]
    fn openids_are_masked() {
        assert_eq!(
            mask_openid("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
            "微信 oUpF…eS6o"
        );
        assert_eq!(mask_openid("short"), "微信用户");
    }
}
