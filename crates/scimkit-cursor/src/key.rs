//! [`CursorKey`] and [`KeyRing`]: the secrets that sign (and seal) cursors.
//!
//! A key is a secret of at least 16 bytes (32 recommended) and a one-byte
//! key id written into every token. The secret itself is never used
//! directly: a MAC key (and, with `sealed`, an encryption key) is derived
//! from it with HMAC-SHA256 under fixed labels, so one secret never serves
//! two algorithms.
//!
//! A [`KeyRing`] lists keys newest first. The first key signs new tokens;
//! every listed key verifies. To rotate: put the new key first, keep the old
//! one listed for at least one cursor lifetime (`cursorTimeout`), then drop
//! it. Tokens signed by a dropped key fail with
//! [`UnknownKey`](crate::CursorErrorKind::UnknownKey).

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::error::{CursorError, CursorErrorKind};

pub(crate) type HmacSha256 = Hmac<Sha256>;

const LABEL_MAC: &[u8] = b"scimkit-cursor v1 mac key";
#[cfg(feature = "sealed")]
const LABEL_SEAL: &[u8] = b"scimkit-cursor v1 seal key";
const LABEL_ID: &[u8] = b"scimkit-cursor v1 key id";

/// One cursor key: a key id and the keys derived from a secret.
///
/// `Debug` shows the id only.
#[derive(Clone)]
pub struct CursorKey {
    id: u8,
    /// HMAC-SHA256 already keyed with the derived MAC key; cloned per use,
    /// which saves hashing the key pads on every token.
    pub(crate) mac: HmacSha256,
    #[cfg(feature = "sealed")]
    pub(crate) seal: chacha20poly1305::XChaCha20Poly1305,
}

impl CursorKey {
    /// The shortest secret accepted, in bytes.
    pub const MIN_SECRET_LEN: usize = 16;

    /// A key from `secret`, with a key id derived from the secret (so the
    /// same secret gets the same id on every server). Two different
    /// secrets may share an id (1 in 256); a ring then simply tries both.
    pub fn new(secret: &[u8]) -> Result<Self, CursorError> {
        let id = derive(secret, LABEL_ID)?.first().copied().unwrap_or(0);
        Self::with_id(id, secret)
    }

    /// A key from `secret` with an explicit key id.
    pub fn with_id(id: u8, secret: &[u8]) -> Result<Self, CursorError> {
        let mac_key = derive(secret, LABEL_MAC)?;
        let mac = HmacSha256::new_from_slice(&mac_key)
            .map_err(|_| CursorError::new(CursorErrorKind::InvalidKey))?;
        #[cfg(feature = "sealed")]
        let seal = {
            let seal_key = derive(secret, LABEL_SEAL)?;
            chacha20poly1305::XChaCha20Poly1305::new_from_slice(&seal_key)
                .map_err(|_| CursorError::new(CursorErrorKind::InvalidKey))?
        };
        Ok(Self {
            id,
            mac,
            #[cfg(feature = "sealed")]
            seal,
        })
    }

    /// A key from a hex secret (at least 32 hex digits, either case), with
    /// a derived key id: the form of the CLI's `--key HEX`.
    pub fn from_hex(hex: &str) -> Result<Self, CursorError> {
        Self::new(&decode_hex(hex)?)
    }

    /// The key id written into tokens signed with this key.
    pub fn id(&self) -> u8 {
        self.id
    }
}

impl fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CursorKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// HMAC-SHA256(secret, label): a 32-byte subkey.
fn derive(secret: &[u8], label: &[u8]) -> Result<[u8; 32], CursorError> {
    if secret.len() < CursorKey::MIN_SECRET_LEN {
        return Err(CursorError::new(CursorErrorKind::InvalidKey));
    }
    let mut mac = HmacSha256::new_from_slice(secret)
        .map_err(|_| CursorError::new(CursorErrorKind::InvalidKey))?;
    mac.update(label);
    Ok(mac.finalize().into_bytes().into())
}

fn decode_hex(text: &str) -> Result<Vec<u8>, CursorError> {
    hex::decode(text.trim()).map_err(|_| CursorError::new(CursorErrorKind::InvalidKey))
}

/// Keys newest first: the first signs, all verify.
///
/// ```
/// use scimkit_cursor::{CursorKey, KeyRing};
///
/// let ring = KeyRing::from_hex_list(
///     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f,\
///      202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f",
/// )?;
/// assert_eq!(ring.len(), 2);
/// assert_eq!(ring.signing_key().id(), ring.keys().next().unwrap().id());
/// # Ok::<(), scimkit_cursor::CursorError>(())
/// ```
#[derive(Clone, Debug)]
pub struct KeyRing {
    signing: CursorKey,
    older: Vec<CursorKey>,
}

impl KeyRing {
    /// A ring of `keys`, newest (signing) first. At least one key.
    pub fn new(keys: impl IntoIterator<Item = CursorKey>) -> Result<Self, CursorError> {
        let mut keys = keys.into_iter();
        let signing = keys
            .next()
            .ok_or(CursorError::new(CursorErrorKind::EmptyKeyRing))?;
        Ok(Self {
            signing,
            older: keys.collect(),
        })
    }

    /// A ring of one key.
    pub fn single(key: CursorKey) -> Self {
        Self {
            signing: key,
            older: Vec::new(),
        }
    }

    /// A ring from comma-separated hex secrets, newest first (the form of
    /// the CLI's `SCIMKIT_CURSOR_KEYS`). Whitespace around entries is
    /// ignored; empty entries are an error.
    pub fn from_hex_list(list: &str) -> Result<Self, CursorError> {
        Self::new(
            list.split(',')
                .map(CursorKey::from_hex)
                .collect::<Result<Vec<_>, _>>()?,
        )
    }

    /// The key that signs new tokens (the first).
    pub fn signing_key(&self) -> &CursorKey {
        &self.signing
    }

    /// All keys, newest first.
    pub fn keys(&self) -> impl Iterator<Item = &CursorKey> {
        std::iter::once(&self.signing).chain(&self.older)
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        1 + self.older.len()
    }

    /// Always false: a ring has at least one key.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Keys with this id, in ring order.
    pub(crate) fn with_id(&self, id: u8) -> impl Iterator<Item = &CursorKey> {
        self.keys().filter(move |k| k.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_secrets_refused() {
        assert_eq!(
            CursorKey::new(&[0; 15]).unwrap_err().kind(),
            CursorErrorKind::InvalidKey
        );
        assert!(CursorKey::new(&[0; 16]).is_ok());
    }

    #[test]
    fn hex() {
        assert!(CursorKey::from_hex("00112233445566778899aabbccddeeff").is_ok());
        assert!(CursorKey::from_hex(" 00112233445566778899AABBCCDDEEFF ").is_ok());
        for bad in [
            "",
            "0011",
            "00112233445566778899aabbccddeef",
            "00112233445566778899aabbccddeefg",
            "0x112233445566778899aabbccddeeff",
            "００112233445566778899aabbccddeeff",
        ] {
            assert!(CursorKey::from_hex(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn derived_ids_are_stable() {
        let a = CursorKey::new(&[7; 32]).unwrap();
        let b = CursorKey::new(&[7; 32]).unwrap();
        assert_eq!(a.id(), b.id());
        assert_eq!(CursorKey::with_id(9, &[7; 32]).unwrap().id(), 9);
    }

    #[test]
    fn rings() {
        assert_eq!(
            KeyRing::new([]).unwrap_err().kind(),
            CursorErrorKind::EmptyKeyRing
        );
        assert!(KeyRing::from_hex_list("").is_err());
        assert!(KeyRing::from_hex_list("00112233445566778899aabbccddeeff,").is_err());
        let ring = KeyRing::new([
            CursorKey::with_id(1, &[1; 32]).unwrap(),
            CursorKey::with_id(2, &[2; 32]).unwrap(),
            CursorKey::with_id(1, &[3; 32]).unwrap(),
        ])
        .unwrap();
        assert_eq!(ring.signing_key().id(), 1);
        assert_eq!(ring.with_id(1).count(), 2);
        assert_eq!(ring.with_id(3).count(), 0);
        assert!(!format!("{ring:?}").contains("mac"));
    }
}
