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

use std::cell::OnceCell;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher, Hash, Hasher, RandomState};

use scimkit_schema::compare::{parse_datetime, Comparator, Operand};
use scimkit_schema::json::key_ci;
use scimkit_schema::{Attribute, AttributeType};
use serde_json::{Number, Value};

/// Whether `existing` covers `new` (see the module docs).
#[cfg(test)]
pub(crate) fn covers(def: &Attribute, existing: &Value, new: &Value) -> bool {
    Probe::new(def, new).covered_by(def, existing)
}

/// A new element, prepared once for many coverage checks: each member's
/// comparison (case fold, dateTime parse...) is done once, not per element.
pub(crate) struct Probe<'v> {
    whole: &'v Value,
    /// `(key, value, prepared comparison)` per member; one with key `None`
    /// for a simple attribute.
    members: Vec<(Option<&'v str>, &'v Value, Prepared)>,
}

/// A member's comparison, prepared once (none for values the schema cannot
/// compare: they compare as JSON).
type Prepared = Option<(Comparator, Operand)>;

impl<'v> Probe<'v> {
    pub(crate) fn new(def: &Attribute, value: &'v Value) -> Self {
        let prepare = |sub: Option<&Attribute>, v: &Value| {
            let cmp = Comparator::for_attribute(sub?);
            cmp.prepare(v).ok().map(|op| (cmp, op))
        };
        let members = match value {
            Value::Object(m) if def.kind == AttributeType::Complex => m
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (Some(k.as_str()), v, prepare(def.sub_attribute(k), v)))
                .collect(),
            _ if def.kind == AttributeType::Complex => Vec::new(),
            other => vec![(None, other, prepare(Some(def), other))],
        };
        Self {
            whole: value,
            members,
        }
    }

    /// Whether `existing` covers this probe.
    pub(crate) fn covered_by(&self, def: &Attribute, existing: &Value) -> bool {
        let equal = |have: &Value, want: &Value, cmp: &Prepared| match cmp {
            Some((c, op)) => c.equals(have, op) || have == want,
            None => have == want,
        };
        if def.kind != AttributeType::Complex {
            return self
                .members
                .first()
                .is_some_and(|(_, want, cmp)| equal(existing, want, cmp));
        }
        let (Value::Object(have), Value::Object(_)) = (existing, self.whole) else {
            return existing == self.whole;
        };
        self.members.iter().all(|(key, want, cmp)| {
            key.and_then(|k| key_ci(have, k))
                .and_then(|k| have.get(k))
                .is_some_and(|h| equal(h, want, cmp))
        })
    }
}

/// Positions (ascending) of the elements of `items` that cover `probe`, by
/// a scan: cheaper than building an index for one lookup.
pub(crate) fn covering_scan<'i>(
    def: &'i Attribute,
    items: &'i [Value],
    probe: &'i Value,
) -> impl Iterator<Item = usize> + 'i {
    let probe = Probe::new(def, probe);
    items
        .iter()
        .enumerate()
        .filter(move |(_, e)| probe.covered_by(def, e))
        .map(|(i, _)| i)
}

/// Hash of one scalar under the equality of `cmp` (the comparator of its
/// attribute: its type and case rule): values equal by a [`Comparator`]
/// hash alike (the converse need not hold; lookups verify).
fn scalar_hash_by(state: &mut impl Hasher, cmp: Option<Comparator>, v: &Value) -> bool {
    let kind = cmp.map(|c| c.kind());
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
                    t.unix_nanos().hash(state);
                }
                None => {
                    state.write_u8(4);
                    s.hash(state);
                }
            },
            Some(AttributeType::String | AttributeType::Reference | AttributeType::Binary) => {
                state.write_u8(4);
                match cmp {
                    Some(c) => hash_equality_key(state, c, s),
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

/// Hash `text`'s [`Comparator::equality_key`] as `str` hashes (its bytes,
/// then `0xff`). The key of ASCII text compared ignoring case is its ASCII
/// lower case: that is hashed from a buffer on the stack, a chunk at a
/// time, without building the key.
fn hash_equality_key(state: &mut impl Hasher, cmp: Comparator, text: &str) {
    if cmp.case_exact() || cmp.kind() == AttributeType::Binary || !text.is_ascii() {
        cmp.equality_key(text).hash(state);
        return;
    }
    let mut buf = [0u8; 64];
    for chunk in text.as_bytes().chunks(buf.len()) {
        if let Some(lower) = buf.get_mut(..chunk.len()) {
            lower.copy_from_slice(chunk);
            lower.make_ascii_lowercase();
            state.write(lower);
        }
    }
    state.write_u8(0xff);
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

/// One pass over `items` with the `probes` indexed (they all carry a
/// `value`: [`Keys::Value`]): which probes some item covers, and which items
/// cover some probe (ascending). O(items + probes), without indexing the
/// items: the cheaper way for the first lookup of a request.
pub(crate) fn cover_pass(
    def: &Attribute,
    items: &[Value],
    probes: &[Value],
) -> (Vec<bool>, Vec<usize>) {
    let index = ElementIndex::build(def, probes, Keys::Value);
    let prepared: Vec<Probe<'_>> = probes.iter().map(|p| Probe::new(def, p)).collect();
    let mut covered = vec![false; probes.len()];
    let mut covering = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut any = false;
        for j in index.candidate_positions(def, item) {
            if prepared.get(j).is_some_and(|p| p.covered_by(def, item)) {
                if let Some(c) = covered.get_mut(j) {
                    *c = true;
                }
                any = true;
            }
        }
        if any {
            covering.push(i);
        }
    }
    (covered, covering)
}

/// Which members an index hashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keys {
    /// Only `value` (or the element itself, for a simple attribute): enough
    /// for probes that carry a `value`, and cheap.
    Value,
    /// Every scalar member: for probes without a `value`.
    All,
}

impl Keys {
    /// The keys lookups for `probes` need.
    pub(crate) fn for_probes<'v>(
        def: &Attribute,
        mut probes: impl Iterator<Item = &'v Value>,
    ) -> Self {
        if def.kind != AttributeType::Complex {
            return Self::Value;
        }
        let keyed = |p: &Value| match p {
            Value::Object(m) => key_ci(m, "value")
                .and_then(|k| m.get(k))
                .is_some_and(|v| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_))),
            _ => false,
        };
        if probes.all(keyed) {
            Self::Value
        } else {
            Self::All
        }
    }
}

/// The elements a lookup must verify.
enum Candidates<'i> {
    These(&'i [usize]),
    /// Every element (a probe without `value` in a [`Keys::Value`] index).
    All(usize),
}

/// Where the elements of one multi-valued attribute are, by scalar member.
#[derive(Debug)]
pub(crate) struct ElementIndex {
    keys: Keys,
    hasher: RandomState,
    buckets: HashMap<u64, Bucket, BuildHasherDefault<PassThrough>>,
    /// Elements with no hashable scalar member: checked one by one.
    unhashed: Vec<usize>,
    /// Elements indexed so far (positions `0..len`).
    len: usize,
    /// The hasher state after the member name `value`, and the comparator
    /// of the `value` sub-attribute, made on first use (an index serves one
    /// attribute).
    value_key: OnceCell<(DefaultHasher, Option<Comparator>)>,
}

impl ElementIndex {
    pub(crate) fn new(keys: Keys) -> Self {
        Self::with_capacity(keys, 0)
    }

    fn with_capacity(keys: Keys, n: usize) -> Self {
        Self {
            keys,
            hasher: RandomState::new(),
            buckets: HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default()),
            unhashed: Vec::new(),
            len: 0,
            value_key: OnceCell::new(),
        }
    }

    /// The number of elements indexed.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The members it hashes.
    pub(crate) fn keys(&self) -> Keys {
        self.keys
    }

    /// Call `f` with the hash of each of an element's scalar members (the
    /// element itself, for a simple value); false when it has none.
    fn for_each_key(&self, def: &Attribute, element: &Value, mut f: impl FnMut(u64)) -> bool {
        let mut any = false;
        let mut one = |name: Option<&str>, v: &Value| {
            let (mut state, cmp) = match name {
                // The common member (a member's or an email's `value`):
                // its name hashed and its comparator made once per index.
                Some("value") => {
                    let (state, cmp) = self.value_key.get_or_init(|| {
                        let mut state = self.hasher.build_hasher();
                        state.write(b"value");
                        state.write_u8(0xff);
                        (
                            state,
                            def.sub_attribute("value").map(Comparator::for_attribute),
                        )
                    });
                    (state.clone(), *cmp)
                }
                Some(name) => {
                    let mut state = self.hasher.build_hasher();
                    if name.bytes().any(|b| b.is_ascii_uppercase()) {
                        for b in name.bytes() {
                            state.write_u8(b.to_ascii_lowercase());
                        }
                    } else {
                        state.write(name.as_bytes());
                    }
                    state.write_u8(0xff);
                    (
                        state,
                        def.sub_attribute(name).map(Comparator::for_attribute),
                    )
                }
                None => (
                    self.hasher.build_hasher(),
                    Some(Comparator::for_attribute(def)),
                ),
            };
            if scalar_hash_by(&mut state, cmp, v) {
                any = true;
                f(state.finish());
            }
        };
        match element {
            Value::Object(m) if def.kind == AttributeType::Complex => match self.keys {
                Keys::All => {
                    for (k, v) in m {
                        one(Some(k), v);
                    }
                }
                Keys::Value => {
                    if let Some((k, v)) = key_ci(m, "value").and_then(|k| m.get_key_value(k)) {
                        one(Some(k), v);
                    }
                }
            },
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
    pub(crate) fn build(def: &Attribute, items: &[Value], keys: Keys) -> Self {
        let mut index = Self::with_capacity(keys, items.len());
        for (i, e) in items.iter().enumerate() {
            index.insert(def, i, e);
        }
        index
    }

    /// Positions that may cover `probe`: a superset of those that do.
    fn candidates(&self, def: &Attribute, probe: &Value) -> Candidates<'_> {
        let mut smallest: Option<&[usize]> = None;
        let any = self.for_each_key(def, probe, |k| {
            let bucket = self.buckets.get(&k).map_or(&[][..], Bucket::as_slice);
            if smallest.is_none_or(|s| bucket.len() < s.len()) {
                smallest = Some(bucket);
            }
        });
        match (smallest, self.keys) {
            (Some(s), _) if any => Candidates::These(s),
            // Only values are hashed, and the probe has none.
            (_, Keys::Value) => Candidates::All(self.len),
            // No scalar member to look up by: an object of objects, or `{}`.
            (_, Keys::All) => Candidates::These(&self.unhashed),
        }
    }

    /// Positions (ascending) that may cover `probe`.
    pub(crate) fn candidate_positions<'i>(
        &'i self,
        def: &Attribute,
        probe: &Value,
    ) -> impl Iterator<Item = usize> + 'i {
        let (these, all) = match self.candidates(def, probe) {
            Candidates::These(s) => (s, 0..0),
            Candidates::All(n) => (&[][..], 0..n),
        };
        these.iter().copied().chain(all)
    }

    /// Positions (ascending) of the elements of `items` that cover `probe`.
    pub(crate) fn covering<'i>(
        &'i self,
        def: &'i Attribute,
        items: &'i [Value],
        probe: &'i Value,
    ) -> impl Iterator<Item = usize> + 'i {
        let prepared = Probe::new(def, probe);
        self.candidate_positions(def, probe)
            .filter(move |&i| items.get(i).is_some_and(|e| prepared.covered_by(def, e)))
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
        for keys in [Keys::Value, Keys::All] {
            let index = ElementIndex::build(def, &items, keys);
            let found = |p: Value| index.covering(def, &items, &p).collect::<Vec<_>>();
            assert_eq!(found(json!({"value": "B@X.ORG"})), vec![1]);
            assert_eq!(found(json!({"type": "work"})), vec![0, 1]);
            assert_eq!(found(json!({"type": "home"})), vec![2]);
            assert!(found(json!({"value": "c@x.org"})).is_empty());
        }
    }

    #[test]
    fn numbers_meet_across_representations() {
        let mut def = Attribute::new("n", AttributeType::Decimal);
        def.multi_valued = true;
        let items = vec![json!(1), json!(2.5)];
        let index = ElementIndex::build(&def, &items, Keys::Value);
        assert_eq!(index.covering(&def, &items, &json!(1.0)).count(), 1);
    }
}
