//! Where SMS go: the default gateway only records them (the outbox is the
//! record); Aliyun's sends them for real. Chosen by `sms_provider`.

use govhall_platform::config::Config;
use std::sync::Arc;

/// Why a send failed, and whether trying again may help.
#[derive(Debug, Clone)]
pub struct SendError {
    pub message: String,
    pub retryable: bool,
}

impl SendError {
    pub fn retry(message: impl Into<String>) -> Self {
        SendError {
            message: message.into(),
            retryable: true,
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        SendError {
            message: message.into(),
            retryable: false,
        }
    }
}

/// One outgoing SMS as a gateway sees it.
pub struct OutgoingSms<'a> {
    pub phone: &'a str,
    pub kind: &'a str,
    pub params: &'a serde_json::Value,
    pub text: &'a str,
    /// The outbox id, passed to the provider as its idempotency / trace id.
    pub out_id: &'a str,
}

/// One outgoing WeChat template message.
pub struct OutgoingWeChat<'a> {
    pub openid: &'a str,
    pub kind: &'a str,
    pub params: &'a serde_json::Value,
    pub text: &'a str,
    /// Opened when the citizen taps the message.
    pub link: Option<&'a str>,
}

#[async_trait::async_trait]
pub trait SmsGateway: Send + Sync {
    /// Short name recorded on each message (`outbox`, `aliyun`).
    fn name(&self) -> &'static str;
    /// Sends; returns the provider's message reference.
    async fn send(&self, sms: &OutgoingSms<'_>) -> Result<String, SendError>;
}

/// Records only: the message is "sent" into the outbox, where the hall reads
/// it (a verification code in it stays masked there: with this gateway a
/// citizen gets a code only in the `demo` setting, on the page that asked).
pub struct RecordOnly;

#[async_trait::async_trait]
impl SmsGateway for RecordOnly {
    fn name(&self) -> &'static str {
        "outbox"
    }

    async fn send(&self, sms: &OutgoingSms<'_>) -> Result<String, SendError> {
        Ok(format!("outbox-{}", sms.out_id))
    }
}

/// The gateway the configuration names (checked at start-up by `Config::problems`).
pub fn from_config(config: &Config) -> Arc<dyn SmsGateway> {
    match config.sms_provider.as_str() {
        "aliyun" => Arc::new(super::aliyun::AliyunSms::from_config(config)),
        _ => Arc::new(RecordOnly),
    }
}
