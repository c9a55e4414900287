//! [`CursorCodec`]: position in, signed (optionally sealed), query-bound,
//! expiring token out, and back.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use hmac::Mac;

use crate::clock::{Clock, SystemClock};
use crate::config::PaginationConfig;
use crate::cursor::Cursor;
use crate::error::{CursorError, CursorErrorKind};
use crate::fingerprint::QueryFingerprint;
use crate::key::{CursorKey, KeyRing};
use crate::position::{Position, Reader};

const FORMAT_SIGNED: u8 = 0x01;
const FORMAT_SEALED: u8 = 0x02;
/// format, key id, issued-at, expires-at, count, query hint.
const HEADER_LEN: usize = 1 + 1 + 4 + 4 + 4 + 8;
const HINT_LEN: usize = 8;
const TAG_LEN: usize = 16;
/// Nonce and Poly1305 tag of a sealed payload.
#[cfg(feature = "sealed")]
const SEAL_OVERHEAD: usize = 24 + 16;
#[cfg(not(feature = "sealed"))]
const SEAL_OVERHEAD: usize = 0;
/// The shortest token: header, a one-byte position, MAC.
const MIN_TOKEN_BYTES: usize = HEADER_LEN + 1 + TAG_LEN;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Characters of unpadded base64 for `n` bytes.
const fn encoded_len(n: usize) -> usize {
    (n * 4).div_ceil(3)
}

/// Encodes positions into cursor tokens and decodes them back, under a key
/// ring, a time-to-live, a length limit and a clock.
///
/// Cheap to clone (the ring is shared) and `Send + Sync`: build one per
/// server and share it.
///
/// ```
/// use std::sync::Arc;
/// use scimkit_cursor::{CursorCodec, CursorErrorKind, CursorKey, KeyRing, ManualClock,
///                      Position, QueryFingerprint, SortValue};
///
/// let clock = Arc::new(ManualClock::new(1_700_000_000));
/// let codec = CursorCodec::new(KeyRing::single(CursorKey::new(&[42; 32])?))
///     .with_ttl(600)
///     .with_clock(clock.clone());
/// let query = QueryFingerprint::from_query("filter=userName%20sw%20%22J%22&sortBy=userName");
/// let pos = Position::after(vec![SortValue::from("jsmith")], "2819c223-7f76-453a-919d-413861904646");
///
/// let token = codec.encode(&pos, &query, 10)?;
/// assert_eq!(codec.decode(token.as_str(), &query, 10)?.position(), &pos);
///
/// // Another query, another count, or too late: refused.
/// let other = QueryFingerprint::from_query("filter=userName%20sw%20%22K%22&sortBy=userName");
/// assert_eq!(codec.decode(token.as_str(), &other, 10).unwrap_err().kind(), CursorErrorKind::WrongQuery);
/// assert_eq!(codec.decode(token.as_str(), &query, 20).unwrap_err().kind(), CursorErrorKind::CountChanged);
/// clock.advance(601);
/// assert_eq!(codec.decode(token.as_str(), &query, 10).unwrap_err().kind(), CursorErrorKind::Expired);
/// # Ok::<(), scimkit_cursor::CursorError>(())
/// ```
///
/// # Token layout, format 1 (signed) and 2 (sealed)
///
/// The token is the unpadded base64url text (RFC 4648 §5) of:
///
/// ```text
/// offset  size  field
///  0       1    format: 0x01 signed, 0x02 sealed
///  1       1    key id
///  2       4    issued-at, Unix seconds, u32 big-endian
///  6       4    expires-at, Unix seconds, u32 big-endian
/// 10       4    count (page size) the cursor was issued for, u32 big-endian
/// 14       8    query hint: first 8 bytes of the 32-byte QueryFingerprint
/// 22       n    payload
///                 signed: the position (see the README's payload table)
///                 sealed: 24-byte XChaCha20 nonce, encrypted position,
///                         16-byte Poly1305 tag (AAD: bytes 0..22)
/// 22+n    16    MAC: HMAC-SHA256(mac key, bytes 0..22+n || full 32-byte
///               QueryFingerprint), first 16 bytes
/// ```
///
/// The full fingerprint is MAC'd but not stored: binding strength is the
/// 256-bit hash under the MAC, and the 8 stored bytes only tell a
/// wrong-query token from a tampered one in the logs.
#[derive(Clone)]
pub struct CursorCodec {
    ring: Arc<KeyRing>,
    ttl: u32,
    max_len: usize,
    skew: u32,
    check_count: bool,
    clock: Arc<dyn Clock>,
    #[cfg(feature = "sealed")]
    seal: bool,
}

/// A verified token: its position and metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedCursor {
    position: Position,
    issued_at: u64,
    expires_at: u64,
    count: u32,
    key_id: u8,
    sealed: bool,
}

impl DecodedCursor {
    /// Where the page starts.
    pub fn position(&self) -> &Position {
        &self.position
    }

    /// The position, owned.
    pub fn into_position(self) -> Position {
        self.position
    }

    /// When the token was issued (Unix seconds).
    pub fn issued_at(&self) -> u64 {
        self.issued_at
    }

    /// The last second the token is accepted (Unix seconds, inclusive).
    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }

    /// The page size the token was issued for.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The id of the key that signed it.
    pub fn key_id(&self) -> u8 {
        self.key_id
    }

    /// True if the payload was encrypted (format 2).
    pub fn is_sealed(&self) -> bool {
        self.sealed
    }
}

impl CursorCodec {
    /// Default time-to-live: 600 seconds (RFC 9865's example `cursorTimeout`).
    pub const DEFAULT_TTL: u32 = 600;
    /// Default maximum token length: 1024 characters.
    pub const DEFAULT_MAX_LEN: usize = 1024;
    /// Default tolerance for tokens issued "in the future" by a server whose
    /// clock runs ahead: 60 seconds.
    pub const DEFAULT_CLOCK_SKEW: u32 = 60;

    /// A codec signing with `ring`'s first key, with the defaults above,
    /// the system clock, the count check on, and (with `sealed`) sealing
    /// off.
    pub fn new(ring: KeyRing) -> Self {
        Self {
            ring: Arc::new(ring),
            ttl: Self::DEFAULT_TTL,
            max_len: Self::DEFAULT_MAX_LEN,
            skew: Self::DEFAULT_CLOCK_SKEW,
            check_count: true,
            clock: Arc::new(SystemClock),
            #[cfg(feature = "sealed")]
            seal: false,
        }
    }

    /// Tokens live `secs` seconds: accepted up to and including second
    /// `issued_at + secs`, so at least `secs` full seconds. Set it to the
    /// `cursorTimeout` you publish.
    pub fn with_ttl(mut self, secs: u32) -> Self {
        self.ttl = secs;
        self
    }

    /// Longest token accepted, in characters; longer input is refused
    /// before any decoding, and positions that would encode longer are
    /// refused at encode time. At most [`Cursor::MAX_LEN`].
    pub fn with_max_len(mut self, chars: usize) -> Self {
        self.max_len = chars.min(Cursor::MAX_LEN);
        self
    }

    /// Take the time-to-live from `cursorTimeout` (if set) and the length
    /// limit from [`PaginationConfig::max_cursor_length`].
    pub fn with_config(self, config: &PaginationConfig) -> Self {
        let ttl = config.cursor_timeout.unwrap_or(self.ttl);
        self.with_ttl(ttl).with_max_len(config.max_cursor_length)
    }

    /// Accept tokens whose issued-at is up to `secs` ahead of this server's
    /// clock.
    pub fn with_clock_skew(mut self, secs: u32) -> Self {
        self.skew = secs;
        self
    }

    /// Whether [`decode`](Self::decode) refuses a `count` that differs from
    /// the token's (on by default, as RFC 9865 requires repeated parameters).
    pub fn with_count_check(mut self, on: bool) -> Self {
        self.check_count = on;
        self
    }

    /// Read the time from `clock` (for tests: [`ManualClock`](crate::ManualClock)).
    pub fn with_clock<C: Clock + 'static>(mut self, clock: C) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Encrypt payloads (XChaCha20-Poly1305) so clients cannot read
    /// positions. Decoding accepts signed and sealed tokens either way, so
    /// sealing can be switched on without breaking cursors in flight.
    #[cfg(feature = "sealed")]
    pub fn with_sealing(mut self, on: bool) -> Self {
        self.seal = on;
        self
    }

    /// The time-to-live in seconds.
    pub fn ttl(&self) -> u32 {
        self.ttl
    }

    /// The maximum token length in characters.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// The key ring.
    pub fn key_ring(&self) -> &KeyRing {
        &self.ring
    }

    /// True if new tokens are sealed.
    pub fn is_sealing(&self) -> bool {
        #[cfg(feature = "sealed")]
        {
            self.seal
        }
        #[cfg(not(feature = "sealed"))]
        {
            false
        }
    }

    /// Encode `position` for `query` and page size `count`, at the clock's
    /// current time.
    pub fn encode(
        &self,
        position: &Position,
        query: &QueryFingerprint,
        count: u32,
    ) -> Result<Cursor, CursorError> {
        self.encode_at(position, query, count, self.clock.now())
    }

    /// [`encode`](Self::encode) at an explicit time (Unix seconds).
    ///
    /// Errors (all server-side, HTTP 500): [`PositionTooLarge`](CursorErrorKind::PositionTooLarge),
    /// [`InvalidPosition`](CursorErrorKind::InvalidPosition),
    /// [`ClockOutOfRange`](CursorErrorKind::ClockOutOfRange),
    /// [`Randomness`](CursorErrorKind::Randomness).
    pub fn encode_at(
        &self,
        position: &Position,
        query: &QueryFingerprint,
        count: u32,
        now: u64,
    ) -> Result<Cursor, CursorError> {
        let clock_err = CursorError::new(CursorErrorKind::ClockOutOfRange);
        let issued_at = u32::try_from(now).map_err(|_| clock_err.clone())?;
        let expires_at = issued_at.checked_add(self.ttl).ok_or(clock_err)?;
        let key = self.ring.signing_key();
        let sealed = self.is_sealing();

        let mut buf =
            Vec::with_capacity(HEADER_LEN + position.encoded_len_hint() + SEAL_OVERHEAD + TAG_LEN);
        buf.push(if sealed { FORMAT_SEALED } else { FORMAT_SIGNED });
        buf.push(key.id());
        buf.extend_from_slice(&issued_at.to_be_bytes());
        buf.extend_from_slice(&expires_at.to_be_bytes());
        buf.extend_from_slice(&count.to_be_bytes());
        buf.extend_from_slice(hint(query));
        if sealed {
            seal(key, position, &mut buf)?;
        } else {
            position.write(&mut buf)?;
        }
        if encoded_len(buf.len() + TAG_LEN) > self.max_len {
            return Err(CursorError::new(CursorErrorKind::PositionTooLarge));
        }
        let mut mac = key.mac.clone();
        mac.update(&buf);
        mac.update(query.as_bytes());
        let tag = mac.finalize().into_bytes();
        buf.extend_from_slice(tag.get(..TAG_LEN).unwrap_or_default());
        Ok(Cursor::from_trusted(B64.encode(&buf)))
    }

    /// Verify `token` for `query` and page size `count` at the clock's
    /// current time, and return its position.
    ///
    /// Checks, in order: length (before decoding), base64url, format, key
    /// id, MAC (constant time, covering the query fingerprint), expiry,
    /// issue time, count, payload structure. Every failure is a
    /// [`CursorError`] whose `scimType` is `invalidCursor`, except
    /// [`Expired`](CursorErrorKind::Expired) (`expiredCursor`) and
    /// [`CountChanged`](CursorErrorKind::CountChanged) (`invalidCount`);
    /// both of those are only reported for authentic tokens.
    pub fn decode(
        &self,
        token: &str,
        query: &QueryFingerprint,
        count: u32,
    ) -> Result<DecodedCursor, CursorError> {
        self.decode_at(token, query, count, self.clock.now())
    }

    /// [`decode`](Self::decode) at an explicit time (Unix seconds).
    pub fn decode_at(
        &self,
        token: &str,
        query: &QueryFingerprint,
        count: u32,
        now: u64,
    ) -> Result<DecodedCursor, CursorError> {
        let malformed = || CursorError::new(CursorErrorKind::Malformed);
        if token.len() > self.max_len {
            return Err(CursorError::new(CursorErrorKind::TooLong));
        }
        if token.len() < encoded_len(MIN_TOKEN_BYTES) {
            return Err(malformed());
        }
        let bytes = B64.decode(token.as_bytes()).map_err(|_| malformed())?;
        let split = bytes.len().checked_sub(TAG_LEN).ok_or_else(malformed)?;
        let (body, tag) = bytes.split_at_checked(split).ok_or_else(malformed)?;

        let mut r = Reader { buf: body };
        let sealed = match r.u8().ok_or_else(malformed)? {
            FORMAT_SIGNED => false,
            FORMAT_SEALED if cfg!(feature = "sealed") => true,
            _ => return Err(CursorError::new(CursorErrorKind::UnknownVersion)),
        };
        let key_id = r.u8().ok_or_else(malformed)?;
        let issued_at = u32::from_be_bytes(r.array::<4>().ok_or_else(malformed)?);
        let expires_at = u32::from_be_bytes(r.array::<4>().ok_or_else(malformed)?);
        let token_count = u32::from_be_bytes(r.array::<4>().ok_or_else(malformed)?);
        let stored_hint = r.array::<HINT_LEN>().ok_or_else(malformed)?;
        let payload = r.buf;
        if payload.is_empty() {
            return Err(malformed());
        }

        let mut candidates = self.ring.with_id(key_id).peekable();
        if candidates.peek().is_none() {
            return Err(CursorError::new(CursorErrorKind::UnknownKey));
        }
        let key = candidates.find(|k| {
            let mut mac = k.mac.clone();
            mac.update(body);
            mac.update(query.as_bytes());
            mac.verify_truncated_left(tag).is_ok()
        });
        let Some(key) = key else {
            // Tell the two apart for the logs only; both are invalidCursor.
            return Err(CursorError::new(if stored_hint == *hint(query) {
                CursorErrorKind::BadSignature
            } else {
                CursorErrorKind::WrongQuery
            }));
        };

        // Authentic from here on.
        if expires_at < issued_at {
            return Err(malformed());
        }
        if now > u64::from(expires_at) {
            return Err(CursorError::new(CursorErrorKind::Expired));
        }
        if u64::from(issued_at) > now.saturating_add(u64::from(self.skew)) {
            return Err(CursorError::new(CursorErrorKind::NotYetValid));
        }
        if self.check_count && token_count != count {
            return Err(CursorError::new(CursorErrorKind::CountChanged));
        }
        let position = if sealed {
            let header = body.get(..HEADER_LEN).ok_or_else(malformed)?;
            open(key, header, payload)
        } else {
            Position::read(payload)
        }
        .ok_or_else(malformed)?;
        Ok(DecodedCursor {
            position,
            issued_at: u64::from(issued_at),
            expires_at: u64::from(expires_at),
            count: token_count,
            key_id,
            sealed,
        })
    }
}

fn hint(query: &QueryFingerprint) -> &[u8; HINT_LEN] {
    query
        .as_bytes()
        .first_chunk::<HINT_LEN>()
        .unwrap_or(&[0; HINT_LEN])
}

#[cfg(feature = "sealed")]
fn seal(key: &CursorKey, position: &Position, buf: &mut Vec<u8>) -> Result<(), CursorError> {
    use chacha20poly1305::aead::{AeadInOut, Generate};
    use chacha20poly1305::XNonce;

    let nonce =
        XNonce::try_generate().map_err(|_| CursorError::new(CursorErrorKind::Randomness))?;
    buf.extend_from_slice(&nonce);
    let start = buf.len();
    position.write(buf)?;
    let (head, plaintext) = buf.split_at_mut(start);
    let aad = head.get(..HEADER_LEN).unwrap_or_default();
    let tag = key
        .seal
        .encrypt_inout_detached(&nonce, aad, plaintext.into())
        .map_err(|_| CursorError::new(CursorErrorKind::PositionTooLarge))?;
    buf.extend_from_slice(&tag);
    Ok(())
}

#[cfg(not(feature = "sealed"))]
fn seal(_key: &CursorKey, _position: &Position, _buf: &mut Vec<u8>) -> Result<(), CursorError> {
    Err(CursorError::new(CursorErrorKind::UnknownVersion))
}

#[cfg(feature = "sealed")]
fn open(key: &CursorKey, header: &[u8], payload: &[u8]) -> Option<Position> {
    use chacha20poly1305::aead::AeadInOut;
    use chacha20poly1305::{Tag, XNonce};

    let (nonce, rest) = payload.split_first_chunk::<24>()?;
    let split = rest.len().checked_sub(16)?;
    let (ciphertext, tag) = rest.split_at_checked(split)?;
    let nonce = XNonce::from(*nonce);
    let tag = Tag::try_from(tag).ok()?;
    let mut plaintext = ciphertext.to_vec();
    key.seal
        .decrypt_inout_detached(&nonce, header, plaintext.as_mut_slice().into(), &tag)
        .ok()?;
    Position::read(&plaintext)
}

#[cfg(not(feature = "sealed"))]
fn open(_key: &CursorKey, _header: &[u8], _payload: &[u8]) -> Option<Position> {
    None
}

impl fmt::Debug for CursorCodec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CursorCodec")
            .field(
                "key_ids",
                &self.ring.keys().map(CursorKey::id).collect::<Vec<_>>(),
            )
            .field("ttl", &self.ttl)
            .field("max_len", &self.max_len)
            .field("skew", &self.skew)
            .field("check_count", &self.check_count)
            .field("sealing", &self.is_sealing())
            .field("clock", &self.clock)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ManualClock, SortValue};

    const NOW: u64 = 1_700_000_000;

    fn codec() -> CursorCodec {
        CursorCodec::new(KeyRing::single(CursorKey::with_id(1, &[1; 32]).unwrap()))
            .with_clock(ManualClock::new(NOW))
    }

    fn typical() -> Position {
        Position::after(
            vec![SortValue::from("bjensen@example.com")],
            "2819c223-7f76-453a-919d-413861904646",
        )
    }

    fn q() -> QueryFingerprint {
        QueryFingerprint::from_query("sortBy=userName")
    }

    #[test]
    fn header_layout() {
        let c = codec().with_ttl(600);
        let token = c.encode(&typical(), &q(), 100).unwrap();
        let bytes = B64.decode(token.as_str()).unwrap();
        assert_eq!(bytes[0], FORMAT_SIGNED);
        assert_eq!(bytes[1], 1);
        assert_eq!(&bytes[2..6], &(NOW as u32).to_be_bytes());
        assert_eq!(&bytes[6..10], &(NOW as u32 + 600).to_be_bytes());
        assert_eq!(&bytes[10..14], &100u32.to_be_bytes());
        assert_eq!(&bytes[14..22], &q().as_bytes()[..8]);
        let payload = &bytes[HEADER_LEN..bytes.len() - TAG_LEN];
        assert_eq!(Position::read(payload), Some(typical()));
    }

    #[test]
    fn too_long_checked_before_decoding() {
        let c = codec().with_max_len(60);
        let err = c.decode(&"!".repeat(61), &q(), 1).unwrap_err();
        assert_eq!(err.kind(), CursorErrorKind::TooLong);
        let err = c.decode(&"!".repeat(60), &q(), 1).unwrap_err();
        assert_eq!(err.kind(), CursorErrorKind::Malformed);
    }

    #[test]
    fn encode_refuses_oversized_positions() {
        let c = codec().with_max_len(100);
        let err = c
            .encode(&Position::opaque(vec![0; 100]), &q(), 1)
            .unwrap_err();
        assert_eq!(err.kind(), CursorErrorKind::PositionTooLarge);
        assert!(!err.is_client_error());
    }

    #[test]
    fn clock_range() {
        let c = codec();
        let p = typical();
        assert!(c.encode_at(&p, &q(), 1, u64::from(u32::MAX) + 1).is_err());
        assert_eq!(
            c.encode_at(&p, &q(), 1, u64::from(u32::MAX) - 10)
                .unwrap_err()
                .kind(),
            CursorErrorKind::ClockOutOfRange
        );
        let c = c.with_ttl(0);
        let t = c.encode_at(&p, &q(), 1, u64::from(u32::MAX)).unwrap();
        assert!(c
            .decode_at(t.as_str(), &q(), 1, u64::from(u32::MAX))
            .is_ok());
        assert_eq!(
            c.decode_at(t.as_str(), &q(), 1, u64::MAX)
                .unwrap_err()
                .kind(),
            CursorErrorKind::Expired
        );
    }

    #[test]
    fn not_yet_valid() {
        let c = codec().with_clock_skew(60);
        let t = c.encode_at(&typical(), &q(), 1, NOW + 61).unwrap();
        assert_eq!(
            c.decode_at(t.as_str(), &q(), 1, NOW).unwrap_err().kind(),
            CursorErrorKind::NotYetValid
        );
        let t = c.encode_at(&typical(), &q(), 1, NOW + 60).unwrap();
        assert!(c.decode_at(t.as_str(), &q(), 1, NOW).is_ok());
    }

    #[test]
    fn count_check_can_be_disabled() {
        let c = codec().with_count_check(false);
        let t = c.encode(&typical(), &q(), 10).unwrap();
        let d = c.decode(t.as_str(), &q(), 99).unwrap();
        assert_eq!(d.count(), 10);
    }

    #[test]
    fn unknown_version() {
        let c = codec();
        let t = c.encode(&typical(), &q(), 1).unwrap();
        let mut bytes = B64.decode(t.as_str()).unwrap();
        bytes[0] = 0x7f;
        let err = c.decode(&B64.encode(&bytes), &q(), 1).unwrap_err();
        assert_eq!(err.kind(), CursorErrorKind::UnknownVersion);
    }

    #[test]
    fn codec_is_send_sync_and_cheap_to_share() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<CursorCodec>();
        assert_send_sync::<DecodedCursor>();
    }

    #[test]
    fn debug_hides_secrets() {
        let s = format!("{:?}", codec());
        assert!(s.contains("key_ids: [1]"), "{s}");
    }
}
