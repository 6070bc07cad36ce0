//! 阿里云短信服务 (Dysmsapi `SendSms`, API version 2017-05-25) with the RPC
//! signature (HMAC-SHA1, SignatureVersion 1.0): sort the parameters, percent-
//! encode them by RFC 3986 (space as `%20`, `*` as `%2A`, `~` kept), sign
//! `GET&%2F&` + the encoded query with the secret followed by `&`.

use super::gateway::{OutgoingSms, SendError, SmsGateway};
use base64::Engine;
use govhall_platform::config::Config;
use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::collections::BTreeMap;

/// Everything but the RFC 3986 unreserved characters.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

/// The canonical query: sorted `key=value` pairs, each side encoded.
pub fn canonical_query(params: &BTreeMap<String, String>) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The `Signature` parameter for a GET request with `params` (without `Signature`).
pub fn signature(params: &BTreeMap<String, String>, secret: &str) -> String {
    let to_sign = format!("GET&%2F&{}", percent_encode(&canonical_query(params)));
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .expect("HMAC accepts any key length");
    mac.update(to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

pub struct AliyunSms {
    access_key_id: String,
    access_key_secret: String,
    sign_name: String,
    endpoint: String,
    /// Message kind → approved template code (`SMS_…`).
    templates: BTreeMap<String, String>,
    client: reqwest::Client,
}

impl AliyunSms {
    pub fn from_config(c: &Config) -> Self {
        AliyunSms {
            access_key_id: c.aliyun_sms_access_key_id.clone().unwrap_or_default(),
            access_key_secret: c.aliyun_sms_access_key_secret.clone().unwrap_or_default(),
            sign_name: c.aliyun_sms_sign_name.clone().unwrap_or_default(),
            endpoint: c.aliyun_sms_endpoint.clone(),
            templates: c.aliyun_sms_templates.clone(),
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .build()
                .expect("HTTP client"),
        }
    }

    /// The signed query parameters for one message.
    pub fn signed_params(
        &self,
        sms: &OutgoingSms<'_>,
        template: &str,
        nonce: &str,
        timestamp: &str,
    ) -> BTreeMap<String, String> {
        let mut p: BTreeMap<String, String> = [
            ("AccessKeyId", self.access_key_id.as_str()),
            ("Action", "SendSms"),
            ("Format", "JSON"),
            ("OutId", sms.out_id),
            ("PhoneNumbers", sms.phone),
            ("RegionId", "cn-hangzhou"),
            ("SignName", self.sign_name.as_str()),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", nonce),
            ("SignatureVersion", "1.0"),
            ("TemplateCode", template),
            ("Timestamp", timestamp),
            ("Version", "2017-05-25"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        p.insert("TemplateParam".into(), sms.params.to_string());
        let sig = signature(&p, &self.access_key_secret);
        p.insert("Signature".into(), sig);
        p
    }
}

/// Error codes worth another attempt (flow control and Aliyun-side faults).
fn retryable_code(code: &str) -> bool {
    code.starts_with("isp.") || code.contains("LIMIT_CONTROL") || code == "Throttling"
}

#[async_trait::async_trait]
impl SmsGateway for AliyunSms {
    fn name(&self) -> &'static str {
        "aliyun"
    }

    async fn send(&self, sms: &OutgoingSms<'_>) -> Result<String, SendError> {
        let Some(template) = self.templates.get(sms.kind) else {
            return Err(SendError::permanent(format!(
                "未配置“{}”对应的阿里云短信模板（aliyun_sms_templates）",
                sms.kind
            )));
        };
        let nonce = uuid::Uuid::new_v4().to_string();
        let timestamp = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let params = self.signed_params(sms, template, &nonce, &timestamp);
        let url = format!("{}?{}", self.endpoint, canonical_query(&params));
        let resp = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| SendError::retry(format!("连接阿里云短信失败：{e}")))?;
        let http = resp.status();
        let body: serde_json::Value = resp
            .json()
            .await
            .map_err(|e| SendError::retry(format!("阿里云短信返回无法解析（HTTP {http}）：{e}")))?;
        let code = body["Code"].as_str().unwrap_or_default();
        if code == "OK" {
            return Ok(body["BizId"].as_str().unwrap_or_default().to_string());
        }
        let message = format!(
            "阿里云短信返回 {code}：{}",
            body["Message"].as_str().unwrap_or_default()
        );
        Err(if http.is_server_error() || retryable_code(code) {
            SendError::retry(message)
        } else {
            SendError::permanent(message)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The SendSms example of Aliyun's SMS signing documentation.
    #[test]
    fn signs_the_documented_send_sms_example() {
        let p = params(&[
            ("AccessKeyId", "testId"),
            ("Action", "SendSms"),
            ("Format", "XML"),
            ("OutId", "123"),
            ("PhoneNumbers", "15300000001"),
            ("RegionId", "cn-hangzhou"),
            ("SignName", "阿里云短信测试专用"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"),
            ("SignatureVersion", "1.0"),
            ("TemplateCode", "SMS_71390007"),
            ("TemplateParam", r#"{"customer":"test"}"#),
            ("Timestamp", "2017-07-12T02:42:19Z"),
            ("Version", "2017-05-25"),
        ]);
        assert!(canonical_query(&p).starts_with(
            "AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou&SignName=%E9%98%BF%E9%87%8C%E4%BA%91"
        ));
        assert_eq!(signature(&p, "testSecret"), "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
    }

    /// The DescribeRegions example of Aliyun's RPC signature documentation.
    #[test]
    fn signs_the_documented_rpc_example() {
        let p = params(&[
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
        ]);
        assert_eq!(signature(&p, "testsecret"), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    #[test]
    fn encodes_by_rfc_3986() {
        assert_eq!(percent_encode("a b*~/=+"), "a%20b%2A~%2F%3D%2B");
        assert_eq!(percent_encode("派"), "%E6%B4%BE");
    }
}
