//! The binary form of a [`Position`] (the token payload): the grammar is in
//! the [parent module](super). Strict: one encoding per position.

use scimkit_schema::{SortValue, Timestamp};

use super::{Direction, Keyset, Position, MAX_SORT_VALUES};
use crate::error::{CursorError, CursorErrorKind};

const KIND_NEXT: u8 = 0x01;
const KIND_PREVIOUS: u8 = 0x02;
const KIND_OPAQUE: u8 = 0x03;

const V_NULL: u8 = 0x00;
const V_FALSE: u8 = 0x01;
const V_TRUE: u8 = 0x02;
const V_INTEGER: u8 = 0x03;
const V_DECIMAL: u8 = 0x04;
const V_STRING: u8 = 0x05;
const V_DATETIME: u8 = 0x06;
const ID_UUID_LOWER: u8 = 0x07;
const ID_UUID_UPPER: u8 = 0x08;

impl Position {
    /// Number of bytes [`Position::write`] will append (an upper bound
    /// used for capacity; exact for all but varints).
    pub(crate) fn encoded_len_hint(&self) -> usize {
        match self {
            Self::Opaque(b) => 1 + b.len(),
            Self::Keyset(k) => {
                let values: usize = k
                    .sort_values
                    .iter()
                    .map(|v| match v {
                        SortValue::Null | SortValue::Boolean(_) => 1,
                        SortValue::Integer(_) => 11,
                        SortValue::Decimal(_) => 9,
                        SortValue::String(s) => 1 + 10 + s.len(),
                        SortValue::DateTime(_) => 1 + 10 + 5,
                        // Not encodable: `write` refuses it.
                        _ => 0,
                    })
                    .sum();
                2 + values + 11 + k.id.len()
            }
        }
    }

    /// Append the binary form to `out`.
    pub(crate) fn write(&self, out: &mut Vec<u8>) -> Result<(), CursorError> {
        match self {
            Self::Opaque(bytes) => {
                out.push(KIND_OPAQUE);
                out.extend_from_slice(bytes);
            }
            Self::Keyset(k) => {
                out.push(match k.direction {
                    Direction::Next => KIND_NEXT,
                    Direction::Previous => KIND_PREVIOUS,
                });
                let n = u8::try_from(k.sort_values.len())
                    .ok()
                    .filter(|&n| usize::from(n) <= MAX_SORT_VALUES)
                    .ok_or(CursorError::new(CursorErrorKind::InvalidPosition))?;
                out.push(n);
                for v in &k.sort_values {
                    write_value(v, out)?;
                }
                match uuid_bytes(&k.id) {
                    Some((bytes, upper)) => {
                        out.push(if upper { ID_UUID_UPPER } else { ID_UUID_LOWER });
                        out.extend_from_slice(&bytes);
                    }
                    None => {
                        out.push(V_STRING);
                        write_bytes(out, k.id.as_bytes());
                    }
                }
            }
        }
        Ok(())
    }

    /// Parse the binary form; `None` if it is not exactly one position.
    pub(crate) fn read(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader { buf: bytes };
        let kind = r.u8()?;
        let direction = match kind {
            KIND_OPAQUE => return Some(Self::Opaque(r.buf.to_vec())),
            KIND_NEXT => Direction::Next,
            KIND_PREVIOUS => Direction::Previous,
            _ => return None,
        };
        let n = usize::from(r.u8()?);
        if n > MAX_SORT_VALUES {
            return None;
        }
        let mut sort_values = Vec::with_capacity(n);
        for _ in 0..n {
            sort_values.push(read_value(&mut r)?);
        }
        let id = match r.u8()? {
            V_STRING => r.string()?,
            tag @ (ID_UUID_LOWER | ID_UUID_UPPER) => {
                uuid_text(&r.array::<16>()?, tag == ID_UUID_UPPER)
            }
            _ => return None,
        };
        r.buf.is_empty().then_some(Self::Keyset(Keyset {
            sort_values,
            id,
            direction,
        }))
    }
}

fn write_value(value: &SortValue, out: &mut Vec<u8>) -> Result<(), CursorError> {
    match value {
        SortValue::Null => out.push(V_NULL),
        SortValue::Boolean(false) => out.push(V_FALSE),
        SortValue::Boolean(true) => out.push(V_TRUE),
        SortValue::Integer(i) => {
            out.push(V_INTEGER);
            write_varint(out, zigzag(*i));
        }
        SortValue::Decimal(d) => {
            if !d.is_finite() {
                return Err(CursorError::new(CursorErrorKind::InvalidPosition));
            }
            out.push(V_DECIMAL);
            out.extend_from_slice(&d.to_bits().to_be_bytes());
        }
        SortValue::String(s) => {
            out.push(V_STRING);
            write_bytes(out, s.as_bytes());
        }
        SortValue::DateTime(t) => {
            // Timestamps are range-checked on construction.
            out.push(V_DATETIME);
            write_varint(out, zigzag(t.unix_seconds()));
            write_varint(out, u64::from(t.nanos()));
        }
        // A kind this format has no tag for yet.
        _ => return Err(CursorError::new(CursorErrorKind::InvalidPosition)),
    }
    Ok(())
}

fn read_value(r: &mut Reader<'_>) -> Option<SortValue> {
    Some(match r.u8()? {
        V_NULL => SortValue::Null,
        V_FALSE => SortValue::Boolean(false),
        V_TRUE => SortValue::Boolean(true),
        V_INTEGER => SortValue::Integer(unzigzag(r.varint()?)),
        V_DECIMAL => {
            let d = f64::from_bits(u64::from_be_bytes(r.array::<8>()?));
            if !d.is_finite() {
                return None;
            }
            SortValue::Decimal(d)
        }
        V_STRING => SortValue::String(r.string()?),
        V_DATETIME => {
            let secs = unzigzag(r.varint()?);
            let nanos = u32::try_from(r.varint()?).ok()?;
            SortValue::DateTime(Timestamp::from_unix(secs, nanos)?)
        }
        _ => return None,
    })
}

pub(crate) struct Reader<'a> {
    pub(crate) buf: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.buf.split_first()?;
        self.buf = rest;
        Some(b)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (a, rest) = self.buf.split_first_chunk::<N>()?;
        self.buf = rest;
        Some(*a)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (a, rest) = self.buf.split_at_checked(n)?;
        self.buf = rest;
        Some(a)
    }

    /// Minimal unsigned LEB128, at most 10 bytes.
    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for i in 0..10u32 {
            let b = self.u8()?;
            if i == 9 && b > 1 {
                return None; // would overflow 64 bits
            }
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                // A final 0x00 group after others is a non-minimal encoding.
                return (i == 0 || b != 0).then_some(value);
            }
        }
        None
    }

    fn string(&mut self) -> Option<String> {
        let len = usize::try_from(self.varint()?).ok()?;
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes).ok().map(str::to_owned)
    }
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn zigzag(i: i64) -> u64 {
    ((i << 1) ^ (i >> 63)) as u64
}

fn unzigzag(u: u64) -> i64 {
    ((u >> 1) as i64) ^ -((u & 1) as i64)
}

/// The 16 bytes of a canonical UUID text (8-4-4-4-12 hex digits), and
/// whether its letters are uppercase. Mixed case is not canonical and is
/// kept as a plain string, so the text round-trips exactly.
fn uuid_bytes(s: &str) -> Option<([u8; 16], bool)> {
    let b = s.as_bytes();
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b.get(i) != Some(&b'-')) {
        return None;
    }
    let digits: Vec<u8> = b.iter().copied().filter(|&c| c != b'-').collect();
    let mut out = [0u8; 16];
    hex::decode_to_slice(&digits, &mut out).ok()?;
    let lower = digits.iter().any(u8::is_ascii_lowercase);
    let upper = digits.iter().any(u8::is_ascii_uppercase);
    (!(lower && upper)).then_some((out, upper))
}

fn uuid_text(bytes: &[u8; 16], upper: bool) -> String {
    let digits = if upper {
        hex::encode_upper(bytes)
    } else {
        hex::encode(bytes)
    };
    let mut s = String::with_capacity(36);
    for (i, c) in digits.chars().enumerate() {
        if matches!(i, 8 | 12 | 16 | 20) {
            s.push('-');
        }
        s.push(c);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(p: &Position) -> Position {
        let mut out = Vec::new();
        p.write(&mut out).unwrap();
        assert!(out.len() <= p.encoded_len_hint(), "{p:?}");
        Position::read(&out).unwrap()
    }

    #[test]
    fn keyset_roundtrip() {
        let p = Position::after(
            vec![
                SortValue::Null,
                SortValue::Boolean(true),
                SortValue::Boolean(false),
                SortValue::Integer(-5),
                SortValue::Integer(i64::MIN),
                SortValue::Integer(i64::MAX),
                SortValue::Decimal(-0.0),
                SortValue::Decimal(1.5e300),
                SortValue::String("bjensen".into()),
                SortValue::DateTime(Timestamp::from_unix(-62_167_219_200, 999_999_999).unwrap()),
            ],
            "2819c223-7f76-453a-919d-413861904646",
        );
        assert_eq!(roundtrip(&p), p);
        let p = Position::before(vec![], "");
        assert_eq!(roundtrip(&p), p);
        let p = Position::opaque(vec![]);
        assert_eq!(roundtrip(&p), p);
    }

    #[test]
    fn uuid_ids_compact_and_exact() {
        for id in [
            "2819c223-7f76-453a-919d-413861904646",
            "2819C223-7F76-453A-919D-413861904646",
            "2819c223-7F76-453a-919d-413861904646", // mixed: stays a string
            "28190223-7076-4530-9190-413861904646", // digits only
            "2819c223-7f76-453a-919d-41386190464g",
            "2819c2237f76-453a-919d-413861904646-",
        ] {
            let p = Position::after(vec![], id);
            assert_eq!(roundtrip(&p), p, "{id}");
        }
        let mut out = Vec::new();
        Position::after(vec![], "2819c223-7f76-453a-919d-413861904646")
            .write(&mut out)
            .unwrap();
        assert_eq!(out.len(), 1 + 1 + 1 + 16);
    }

    #[test]
    fn non_finite_decimal_refused() {
        let mut out = Vec::new();
        let err = Position::after(vec![SortValue::Decimal(f64::NAN)], "x")
            .write(&mut out)
            .unwrap_err();
        assert_eq!(err.kind(), CursorErrorKind::InvalidPosition);
    }

    #[test]
    fn too_many_sort_values_refused() {
        let mut out = Vec::new();
        let p = Position::after(vec![SortValue::Null; MAX_SORT_VALUES + 1], "x");
        assert_eq!(
            p.write(&mut out).unwrap_err().kind(),
            CursorErrorKind::InvalidPosition
        );
    }

    #[test]
    fn strict_read() {
        // trailing byte
        let mut out = Vec::new();
        Position::after(vec![], "a").write(&mut out).unwrap();
        out.push(0);
        assert!(Position::read(&out).is_none());
        // non-minimal varint for the id length (0x81 0x00 = 1)
        assert!(Position::read(&[KIND_NEXT, 0, V_STRING, 0x81, 0x00, b'a']).is_none());
        // overlong varint
        let mut bad = vec![KIND_NEXT, 1, V_INTEGER];
        bad.extend_from_slice(&[0xff; 10]);
        bad.extend_from_slice(&[V_STRING, 0]);
        assert!(Position::read(&bad).is_none());
        // invalid UTF-8
        assert!(Position::read(&[KIND_NEXT, 0, V_STRING, 1, 0xff]).is_none());
        // NaN decimal
        let mut nan = vec![KIND_NEXT, 1, V_DECIMAL];
        nan.extend_from_slice(&f64::NAN.to_bits().to_be_bytes());
        nan.extend_from_slice(&[V_STRING, 0]);
        assert!(Position::read(&nan).is_none());
        // unknown kinds and tags
        assert!(Position::read(&[0x09]).is_none());
        assert!(Position::read(&[KIND_NEXT, 1, 0x0f, V_STRING, 0]).is_none());
        assert!(Position::read(&[]).is_none());
    }

    #[test]
    fn varint_edges() {
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            write_varint(&mut out, v);
            let mut r = Reader { buf: &out };
            assert_eq!(r.varint(), Some(v));
            assert!(r.buf.is_empty());
        }
        for i in [0, -1, 1, i64::MIN, i64::MAX] {
            assert_eq!(unzigzag(zigzag(i)), i);
        }
    }
}
