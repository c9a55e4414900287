//! When an element of a multi-valued attribute is "already there", and a
//! hash index that answers it without scanning every element.
//!
//! RFC 7644 §3.5.2.1 says an `add` of values that already exist changes
//! nothing, without defining "exist". scimkit reads it as *covered*: an
//! existing element covers a new one when every sub-attribute the new one
//! carries is present in the existing one with an equal value (equal under
//! that sub-attribute's type and `caseExact`). So a re-sent
//! `{"value": "u1"}` is a no-op on a member stored as
//! `{"value": "u1", "display": "Bob"}`, while `{"value": "x", "type":
//! "pager"}` is added next to a stored `{"value": "x"}`: the new element
//! says something the stored one does not. Elements of a simple
//! multi-valued attribute (`schemas`, say) are covered by an equal value.
//! Entra's `remove` with a `value` array removes the elements that cover a
//! listed one, by the same rule.
//!
//! The index hashes every scalar member of every element (sub-attribute
//! name plus the text it is equal by) into buckets. A lookup reads the
//! buckets of the probe's scalar members and verifies coverage only on the
//! smallest: an element that covers the probe is in every one of them. With
//! a `value` (members, emails) the bucket holds one element, so an `add` of
//! k values to n costs O(n) once for the index, then O(k). The index lives
//! in the [`Journal`](crate::journal::Journal), which sees every mutation:
//! appends extend it, anything else drops it.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher, RandomState};

use scimkit_schema::compare::{parse_datetime, Comparator};
use scimkit_schema::json::key_ci;
use scimkit_schema::{Attribute, AttributeType};
use serde_json::{Number, Value};

/// Whether `existing` covers `new` (see the module docs).
pub(crate) fn covers(def: &Attribute, existing: &Value, new: &Value) -> bool {
    if def.kind != AttributeType::Complex {
        return scalar_equal(Some(def), existing, new);
    }
    let (Value::Object(have), Value::Object(want)) = (existing, new) else {
        return existing == new;
    };
    want.iter().all(|(key, v)| {
        if v.is_null() {
            return true;
        }
        let Some(actual) = key_ci(have, key) else {
            return false;
        };
        let Some(h) = have.get(actual) else {
            return false;
        };
        scalar_equal(def.sub_attribute(key), h, v)
    })
}

/// Equality of two values of `def` (JSON equality for what the schema does
/// not define, for complex values and for values of the wrong type).
fn scalar_equal(def: Option<&Attribute>, a: &Value, b: &Value) -> bool {
    let Some(def) = def else {
        return a == b;
    };
    let cmp = Comparator::for_attribute(def);
    match cmp.prepare(b) {
        Ok(operand) => cmp.equals(a, &operand) || a == b,
        Err(_) => a == b,
    }
}

/// Hash of one scalar under `def`'s equality: values equal by
/// [`scalar_equal`] hash alike (the converse need not hold; lookups verify).
fn scalar_hash(state: &mut impl Hasher, def: Option<&Attribute>, v: &Value) -> bool {
    let kind = def.map(|d| d.kind);
    match v {
        Value::Bool(b) => {
            state.write_u8(1);
            b.hash(state);
        }
        Value::Number(n) => {
            state.write_u8(2);
            number_bits(n).hash(state);
        }
        Value::String(s) => match kind {
            Some(AttributeType::DateTime) => match parse_datetime(s) {
                Some(t) => {
                    state.write_u8(3);
                    t.unix_timestamp_nanos().hash(state);
                }
                None => {
                    state.write_u8(4);
                    s.hash(state);
                }
            },
            Some(AttributeType::String | AttributeType::Reference | AttributeType::Binary) => {
                state.write_u8(4);
                match def {
                    Some(def) => Comparator::for_attribute(def).equality_key(s).hash(state),
                    None => s.hash(state),
                }
            }
            _ => {
                state.write_u8(4);
                s.hash(state);
            }
        },
        Value::Null | Value::Array(_) | Value::Object(_) => return false,
    }
    true
}

/// A number's bucket: its value as an f64 (so `1` and `1.0` meet).
#[allow(clippy::cast_precision_loss)] // a coarse bucket; equality is verified exactly
fn number_bits(n: &Number) -> u64 {
    let f = n
        .as_i64()
        .map(|i| i as f64)
        .or_else(|| n.as_u64().map(|u| u as f64))
        .or_else(|| n.as_f64())
        .unwrap_or(f64::NAN);
    if f == 0.0 {
        0
    } else {
        f.to_bits()
    }
}

/// A hash of a JSON value by structure (equal values hash alike), without
/// recursion: a value built in code may be deeper than the stack.
pub(crate) fn json_hash(hasher: &RandomState, v: &Value) -> u64 {
    let mut state = hasher.build_hasher();
    let mut pending = vec![v];
    while let Some(v) = pending.pop() {
        match v {
            Value::Null => state.write_u8(0),
            Value::Bool(b) => {
                state.write_u8(1);
                b.hash(&mut state);
            }
            Value::Number(n) => {
                state.write_u8(2);
                n.hash(&mut state);
            }
            Value::String(s) => {
                state.write_u8(3);
                s.hash(&mut state);
            }
            Value::Array(items) => {
                state.write_u8(4);
                state.write_usize(items.len());
                pending.extend(items.iter().rev());
            }
            Value::Object(members) => {
                state.write_u8(5);
                state.write_usize(members.len());
                for (k, m) in members.iter().rev() {
                    k.hash(&mut state);
                    pending.push(m);
                }
            }
        }
    }
    state.finish()
}

/// Positions of the elements that share one key: most keys (a member's
/// `value`) have one, which then costs no allocation.
#[derive(Debug)]
enum Bucket {
    One(usize),
    Many(Vec<usize>),
}

impl Bucket {
    fn as_slice(&self) -> &[usize] {
        match self {
            Self::One(i) => std::slice::from_ref(i),
            Self::Many(v) => v,
        }
    }

    fn push(&mut self, at: usize) {
        match self {
            Self::One(i) if *i == at => {}
            Self::One(i) => *self = Self::Many(vec![*i, at]),
            Self::Many(v) if v.last() == Some(&at) => {}
            Self::Many(v) => v.push(at),
        }
    }
}

/// The buckets are keyed by hashes already (SipHash with a random key, so a
/// client cannot choose colliding values); hashing them again is waste.
#[derive(Clone, Copy, Debug, Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Where the elements of one multi-valued attribute are, by scalar member.
#[derive(Debug)]
pub(crate) struct ElementIndex {
    hasher: RandomState,
    buckets: HashMap<u64, Bucket, BuildHasherDefault<PassThrough>>,
    /// Elements with no hashable scalar member: checked one by one.
    unhashed: Vec<usize>,
    /// Elements indexed so far (positions `0..len`).
    len: usize,
}

impl ElementIndex {
    pub(crate) fn new() -> Self {
        Self::with_capacity(0)
    }

    fn with_capacity(n: usize) -> Self {
        Self {
            hasher: RandomState::new(),
            buckets: HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default()),
            unhashed: Vec::new(),
            len: 0,
        }
    }

    /// The number of elements indexed.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Call `f` with the hash of each of an element's scalar members (the
    /// element itself, for a simple value); false when it has none.
    fn for_each_key(&self, def: &Attribute, element: &Value, mut f: impl FnMut(u64)) -> bool {
        let mut any = false;
        let mut one = |name: Option<&str>, v: &Value| {
            let mut state = self.hasher.build_hasher();
            let sub = match name {
                Some(name) => {
                    if name.bytes().any(|b| b.is_ascii_uppercase()) {
                        for b in name.bytes() {
                            state.write_u8(b.to_ascii_lowercase());
                        }
                    } else {
                        state.write(name.as_bytes());
                    }
                    state.write_u8(0xff);
                    def.sub_attribute(name)
                }
                None => Some(def),
            };
            if scalar_hash(&mut state, sub, v) {
                any = true;
                f(state.finish());
            }
        };
        match element {
            Value::Object(m) if def.kind == AttributeType::Complex => {
                for (k, v) in m {
                    one(Some(k), v);
                }
            }
            other => one(None, other),
        }
        any
    }

    /// Index `element` as position `at` (positions must come in order).
    pub(crate) fn insert(&mut self, def: &Attribute, at: usize, element: &Value) {
        let mut keys = [0u64; 8];
        let mut count = 0;
        let mut extra: Vec<u64> = Vec::new();
        let any = self.for_each_key(def, element, |k| {
            match keys.get_mut(count) {
                Some(slot) => *slot = k,
                None => extra.push(k),
            }
            count += 1;
        });
        if !any {
            self.unhashed.push(at);
        }
        for &k in keys.iter().take(count).chain(&extra) {
            match self.buckets.get_mut(&k) {
                Some(bucket) => bucket.push(at),
                None => {
                    self.buckets.insert(k, Bucket::One(at));
                }
            }
        }
        self.len = self.len.max(at + 1);
    }

    /// Index every element of `items`.
    pub(crate) fn build(def: &Attribute, items: &[Value]) -> Self {
        let mut index = Self::with_capacity(items.len());
        for (i, e) in items.iter().enumerate() {
            index.insert(def, i, e);
        }
        index
    }

    /// Positions that may cover `probe`: a superset of those that do.
    pub(crate) fn candidates(&self, def: &Attribute, probe: &Value) -> &[usize] {
        let mut smallest: Option<&[usize]> = None;
        let any = self.for_each_key(def, probe, |k| {
            let bucket = self.buckets.get(&k).map_or(&[][..], Bucket::as_slice);
            if smallest.is_none_or(|s| bucket.len() < s.len()) {
                smallest = Some(bucket);
            }
        });
        match smallest {
            Some(s) if any => s,
            // No scalar member to look up by: an object of objects, or `{}`.
            _ => &self.unhashed,
        }
    }

    /// Positions (ascending) of the elements of `items` that cover `probe`.
    pub(crate) fn covering<'i>(
        &'i self,
        def: &'i Attribute,
        items: &'i [Value],
        probe: &'i Value,
    ) -> impl Iterator<Item = usize> + 'i {
        self.candidates(def, probe)
            .iter()
            .copied()
            .filter(move |&i| items.get(i).is_some_and(|e| covers(def, e, probe)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scimkit_schema::ResourceSchema;
    use serde_json::json;

    fn emails() -> &'static Attribute {
        ResourceSchema::user()
            .core()
            .attribute("emails")
            .expect("built-in")
    }

    #[test]
    fn covered_means_every_given_sub_attribute_is_equal() {
        let def = emails();
        let stored = json!({"value": "A@x.org", "type": "work", "primary": true});
        assert!(covers(def, &stored, &json!({"value": "a@x.org"})));
        assert!(covers(
            def,
            &stored,
            &json!({"value": "a@x.org", "type": "WORK"})
        ));
        assert!(!covers(
            def,
            &stored,
            &json!({"value": "a@x.org", "type": "home"})
        ));
        assert!(!covers(
            def,
            &json!({"value": "x"}),
            &json!({"value": "x", "type": "pager"})
        ));
    }

    #[test]
    fn index_finds_covering_elements_by_any_member() {
        let def = emails();
        let items = vec![
            json!({"value": "a@x.org", "type": "work"}),
            json!({"value": "b@x.org", "type": "work"}),
            json!({"type": "home"}),
        ];
        let index = ElementIndex::build(def, &items);
        let found = |p: Value| index.covering(def, &items, &p).collect::<Vec<_>>();
        assert_eq!(found(json!({"value": "B@X.ORG"})), vec![1]);
        assert_eq!(found(json!({"type": "work"})), vec![0, 1]);
        assert_eq!(found(json!({"type": "home"})), vec![2]);
        assert!(found(json!({"value": "c@x.org"})).is_empty());
    }

    #[test]
    fn numbers_meet_across_representations() {
        let mut def = Attribute::new("n", AttributeType::Decimal);
        def.multi_valued = true;
        let items = vec![json!(1), json!(2.5)];
        let index = ElementIndex::build(&def, &items);
        assert_eq!(index.covering(&def, &items, &json!(1.0)).count(), 1);
    }
}
