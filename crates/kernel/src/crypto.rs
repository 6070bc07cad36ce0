//! Commercial cryptography (密评): SM3 hashing, SM3-HMAC blind indexes and
//! SM4-GCM encryption of personal data at rest.
//!
//! Crypto sits behind the [`PiiCipher`] trait so a certified module or HSM can
//! replace the software implementation on site.

use aes_gcm::{AeadCore, AeadInPlace, AesGcm, KeyInit, aead::consts::U12};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use hmac::{Hmac, Mac};
use sm3::{Digest, Sm3};
use sm4::Sm4;

type Sm4Gcm = AesGcm<Sm4, U12>;
type HmacSm3 = Hmac<Sm3>;

/// SM3 digest as lowercase hex.
pub fn sm3_hex(data: &[u8]) -> String {
    hex::encode(Sm3::digest(data))
}

/// HMAC-SM3 as raw bytes.
pub fn hmac_sm3(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = <HmacSm3 as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("密钥格式不正确：需要 64 位十六进制字符（32 字节）")]
    BadKey,
    #[error("密文格式不正确")]
    BadCiphertext,
    #[error("密文由另一把密钥加密（密钥标识 {0}），请先执行密钥轮换")]
    WrongKey(String),
    #[error("解密失败：密文被篡改或密钥不匹配")]
    DecryptFailed,
}

/// Encrypts personal data for storage and derives blind indexes for lookup.
pub trait PiiCipher: Send + Sync {
    /// Encrypts `plaintext`; every call uses a fresh nonce.
    fn encrypt(&self, plaintext: &str) -> String;
    fn decrypt(&self, stored: &str) -> Result<String, CryptoError>;
    /// A keyed, deterministic index so equal values can be found without decrypting.
    fn blind_index(&self, value: &str) -> String;
}

/// Software SM4-GCM + HMAC-SM3, keys derived from one 32-byte master key.
pub struct SoftwarePiiCipher {
    key_id: String,
    cipher: Sm4Gcm,
    index_key: Vec<u8>,
}

impl SoftwarePiiCipher {
    /// `master_hex`: 64 hex characters.
    pub fn from_hex(master_hex: &str) -> Result<Self, CryptoError> {
        let master = hex::decode(master_hex.trim()).map_err(|_| CryptoError::BadKey)?;
        if master.len() != 32 {
            return Err(CryptoError::BadKey);
        }
        // Separate keys for separate purposes, derived so only one secret is kept.
        let enc_key = hmac_sm3(&master, b"govhall/pii/sm4-gcm");
        let index_key = hmac_sm3(&master, b"govhall/pii/blind-index");
        let key_id = sm3_hex(&master)[..8].to_string();
        let cipher = Sm4Gcm::new_from_slice(&enc_key[..16]).map_err(|_| CryptoError::BadKey)?;
        Ok(Self {
            key_id,
            cipher,
            index_key,
        })
    }

    /// A new random master key as hex.
    pub fn generate_key_hex() -> String {
        use rand::RngCore;
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        hex::encode(key)
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }
}

impl PiiCipher for SoftwarePiiCipher {
    fn encrypt(&self, plaintext: &str) -> String {
        let nonce = Sm4Gcm::generate_nonce(&mut rand::rngs::OsRng);
        let mut buf = plaintext.as_bytes().to_vec();
        self.cipher
            .encrypt_in_place(&nonce, self.key_id.as_bytes(), &mut buf)
            .expect("SM4-GCM encryption of a short value cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buf);
        format!("sm4gcm:{}:{}", self.key_id, B64.encode(out))
    }

    fn decrypt(&self, stored: &str) -> Result<String, CryptoError> {
        let mut parts = stored.splitn(3, ':');
        let (Some("sm4gcm"), Some(key_id), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(CryptoError::BadCiphertext);
        };
        if key_id != self.key_id {
            return Err(CryptoError::WrongKey(key_id.to_string()));
        }
        let raw = B64.decode(body).map_err(|_| CryptoError::BadCiphertext)?;
        if raw.len() < 12 {
            return Err(CryptoError::BadCiphertext);
        }
        let (nonce, ct) = raw.split_at(12);
        let mut buf = ct.to_vec();
        self.cipher
            .decrypt_in_place(nonce.into(), key_id.as_bytes(), &mut buf)
            .map_err(|_| CryptoError::DecryptFailed)?;
        String::from_utf8(buf).map_err(|_| CryptoError::DecryptFailed)
    }

    fn blind_index(&self, value: &str) -> String {
        hex::encode(hmac_sm3(
            &self.index_key,
            value.trim().to_uppercase().as_bytes(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sm4::cipher::{BlockEncrypt, generic_array::GenericArray};

    #[test]
    fn sm3_matches_gbt_32905_vector() {
        assert_eq!(
            sm3_hex(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn sm4_matches_gbt_32907_vector() {
        let key = hex::decode("0123456789abcdeffedcba9876543210").unwrap();
        let cipher = Sm4::new_from_slice(&key).unwrap();
        let mut block = GenericArray::clone_from_slice(&key);
        cipher.encrypt_block(&mut block);
        assert_eq!(hex::encode(block), "681edf34d206965e86b3e94f536e4246");
    }

    #[test]
    fn round_trip_and_blind_index() {
        let c = SoftwarePiiCipher::from_hex(&SoftwarePiiCipher::generate_key_hex()).unwrap();
        let a = c.encrypt("13812345678");
        let b = c.encrypt("13812345678");
        assert_ne!(a, b, "fresh nonce per encryption");
        assert!(!a.contains("13812345678"));
        assert_eq!(c.decrypt(&a).unwrap(), "13812345678");
        assert_eq!(c.blind_index("13812345678"), c.blind_index(" 13812345678 "));
        let other = SoftwarePiiCipher::from_hex(&SoftwarePiiCipher::generate_key_hex()).unwrap();
        assert!(matches!(other.decrypt(&a), Err(CryptoError::WrongKey(_))));
        let mut tampered = a.clone();
        tampered.pop();
        tampered.push(if a.ends_with('A') { 'B' } else { 'A' });
        assert!(c.decrypt(&tampered).is_err());
    }
}
