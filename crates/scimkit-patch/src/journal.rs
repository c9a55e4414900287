//! The undo journal that makes a PATCH atomic without copying the resource.
//!
//! Every mutation of the resource goes through [`Journal`], which records how
//! to undo it: a replaced value is moved into the journal (never copied:
//! the caller gets a [`Mark`] to look at it, and on success the values move
//! on into the change list), an append is undone by truncating, removed
//! elements are kept with their positions. On error the journal is
//! replayed backwards and the resource is exactly as before. Adding 20
//! members to a 1,000-member group thus costs the 20 members, not a copy of
//! the 1,000; removing k of n elements is one O(n) pass, not k shifts.
//!
//! Because it sees every mutation, the journal also keeps the
//! [`ElementIndex`] of the multi-valued attribute last added to: appends
//! extend it, every other mutation drops it.

use scimkit_filter::CompactString;
use scimkit_schema::Attribute;
use serde_json::{Map, Value};

use crate::element::{ElementIndex, Keys};

/// Where a top-level attribute lives: the resource itself, or an extension
/// object under `ext`; `key` is the attribute's actual JSON key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Slot {
    pub(crate) ext: Option<CompactString>,
    /// Inline up to 24 bytes (every core attribute name), so the copies the
    /// undo journal keeps of a slot do not allocate.
    pub(crate) key: CompactString,
}

#[derive(Debug)]
enum Undo {
    /// A member of the resource object (an extension object, `schemas`...).
    RootKey {
        key: CompactString,
        old: Option<Value>,
    },
    /// A top-level attribute.
    Attr { slot: Slot, old: Option<Value> },
    /// Elements appended to a multi-valued attribute.
    Truncate { slot: Slot, len: usize },
    /// Elements removed from a multi-valued attribute, with the positions
    /// they had (ascending).
    Reinsert {
        slot: Slot,
        removed: Vec<(usize, Value)>,
    },
    /// An element replaced in a multi-valued attribute.
    Element {
        slot: Slot,
        index: usize,
        old: Value,
    },
    /// A member of an object inside an attribute: of the attribute itself
    /// (`index` None) or of one element of it.
    Member {
        slot: Slot,
        index: Option<usize>,
        key: CompactString,
        old: Option<Value>,
    },
}

/// One mutation in the journal: where its old value is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mark(usize);

/// Mutations with undo.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    undo: Vec<Undo>,
    /// The element index of one multi-valued attribute, while it is current.
    index: Option<(Slot, ElementIndex)>,
    /// The attribute last searched by a scan instead of the index.
    scanned: Option<Slot>,
    /// Index from the first search on: the request has several operations,
    /// which may search the same attribute again.
    pub(crate) index_first: bool,
}

impl Journal {
    /// Room for `additional` more undo steps.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.undo.reserve(additional);
    }
}

fn set_or_remove(
    object: &mut Map<String, Value>,
    key: &str,
    value: Option<Value>,
) -> Option<Value> {
    match (value, object.get_mut(key)) {
        // Replaced in place: the key is not copied again.
        (Some(v), Some(slot)) => Some(std::mem::replace(slot, v)),
        (Some(v), None) => object.insert(key.to_owned(), v),
        (None, _) => object.remove(key),
    }
}

/// The object holding the slot's attribute.
fn container<'r>(
    res: &'r mut Map<String, Value>,
    slot: &Slot,
) -> Option<&'r mut Map<String, Value>> {
    match &slot.ext {
        Some(ext) => res.get_mut(ext.as_str())?.as_object_mut(),
        None => Some(res),
    }
}

/// The slot's attribute value.
pub(crate) fn attr_mut<'r>(res: &'r mut Map<String, Value>, slot: &Slot) -> Option<&'r mut Value> {
    container(res, slot)?.get_mut(slot.key.as_str())
}

/// The slot's attribute value, read-only.
pub(crate) fn attr<'r>(res: &'r Map<String, Value>, slot: &Slot) -> Option<&'r Value> {
    let container = match &slot.ext {
        Some(ext) => res.get(ext.as_str())?.as_object()?,
        None => res,
    };
    container.get(slot.key.as_str())
}

/// The object a member lives in: the attribute (index None) or an element.
fn member_object<'r>(
    res: &'r mut Map<String, Value>,
    slot: &Slot,
    index: Option<usize>,
) -> Option<&'r mut Map<String, Value>> {
    let value = attr_mut(res, slot)?;
    match index {
        Some(i) => value.as_array_mut()?.get_mut(i)?.as_object_mut(),
        None => value.as_object_mut(),
    }
}

impl Journal {
    /// Set (or with `None` remove) a member of the resource object.
    pub(crate) fn set_root(
        &mut self,
        res: &mut Map<String, Value>,
        key: &str,
        value: Option<Value>,
    ) -> Mark {
        self.index = None;
        let old = set_or_remove(res, key, value);
        self.push_undo(Undo::RootKey {
            key: CompactString::new(key),
            old,
        })
    }

    fn push_undo(&mut self, undo: Undo) -> Mark {
        self.undo.push(undo);
        Mark(self.undo.len() - 1)
    }

    /// The old value a mutation replaced or removed (`None`: there was none).
    pub(crate) fn old(&self, mark: Mark) -> Option<&Value> {
        match self.undo.get(mark.0)? {
            Undo::RootKey { old, .. } | Undo::Attr { old, .. } | Undo::Member { old, .. } => {
                old.as_ref()
            }
            Undo::Element { old, .. } => Some(old),
            Undo::Truncate { .. } | Undo::Reinsert { .. } => None,
        }
    }

    /// The `k`th element a removal took out.
    pub(crate) fn removed(&self, mark: Mark, k: usize) -> Option<&Value> {
        match self.undo.get(mark.0)? {
            Undo::Reinsert { removed, .. } => removed.get(k).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Move an old value out, for the change list, once the request has
    /// succeeded (the journal is not replayed after this).
    pub(crate) fn take(&mut self, mark: Mark, element: Option<usize>) -> Option<Value> {
        match (self.undo.get_mut(mark.0)?, element) {
            (
                Undo::RootKey { old, .. } | Undo::Attr { old, .. } | Undo::Member { old, .. },
                None,
            ) => old.take(),
            (Undo::Element { old, .. }, None) => Some(std::mem::take(old)),
            (Undo::Reinsert { removed, .. }, Some(k)) => {
                removed.get_mut(k).map(|(_, v)| std::mem::take(v))
            }
            _ => None,
        }
    }

    /// Set (or remove) a top-level attribute; its extension object must exist.
    pub(crate) fn set_attr(
        &mut self,
        res: &mut Map<String, Value>,
        slot: &Slot,
        value: Option<Value>,
    ) -> Option<Mark> {
        self.index = None;
        let object = container(res, slot)?;
        let old = set_or_remove(object, &slot.key, value);
        Some(self.push_undo(Undo::Attr {
            slot: slot.clone(),
            old,
        }))
    }

    /// Append elements to a multi-valued attribute (which must be an array;
    /// `def` keeps its element index current, when it has one).
    pub(crate) fn push(
        &mut self,
        res: &mut Map<String, Value>,
        slot: &Slot,
        def: Option<&Attribute>,
        values: Vec<Value>,
    ) {
        let Some(items) = attr_mut(res, slot).and_then(Value::as_array_mut) else {
            return;
        };
        let len = items.len();
        self.undo.push(Undo::Truncate {
            slot: slot.clone(),
            len,
        });
        items.extend(values);
        match (&mut self.index, def) {
            (Some((s, index)), Some(def)) if s == slot && index.len() == len => {
                for (i, e) in items.iter().enumerate().skip(len) {
                    index.insert(def, i, e);
                }
            }
            _ => self.index = None,
        }
    }

    /// Whether lookups in the slot's attribute should go through its index:
    /// yes when the index is current, when the request has several
    /// operations, or when the attribute was already searched once in this
    /// request (from the second search on, the index pays for itself). Otherwise one pass over the elements is cheaper
    /// than building the index, and the slot is remembered as searched.
    pub(crate) fn worth_indexing(&mut self, res: &Map<String, Value>, slot: &Slot) -> bool {
        let len = attr(res, slot)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let current = matches!(&self.index, Some((s, i)) if s == slot && i.len() == len);
        if current || self.index_first || self.scanned.as_ref() == Some(slot) {
            return true;
        }
        self.scanned = Some(slot.clone());
        false
    }

    /// The element index of the slot's attribute (built when not current).
    pub(crate) fn index<'j>(
        &'j mut self,
        res: &Map<String, Value>,
        slot: &Slot,
        def: &Attribute,
        keys: Keys,
    ) -> &'j ElementIndex {
        let items = attr(res, slot)
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let current = matches!(&self.index,
            Some((s, i)) if s == slot && i.len() == items.len() && i.keys() == keys);
        if !current {
            self.index = None;
        }
        let (_, index) = self
            .index
            .get_or_insert_with(|| (slot.clone(), ElementIndex::build(def, items, keys)));
        index
    }

    /// Remove the elements at `indices` (ascending) in one pass; the
    /// journal keeps them, [`Journal::removed`] reads them by their order.
    pub(crate) fn remove_elements(
        &mut self,
        res: &mut Map<String, Value>,
        slot: &Slot,
        indices: &[usize],
    ) -> Option<(Mark, usize)> {
        self.index = None;
        let items = attr_mut(res, slot).and_then(Value::as_array_mut)?;
        let all = std::mem::take(items);
        items.reserve(all.len().saturating_sub(indices.len()));
        let mut removed = Vec::with_capacity(indices.len());
        let mut next = indices.iter().copied().peekable();
        for (i, value) in all.into_iter().enumerate() {
            // Skip indices behind us (a repeat or out of order): never panic.
            while next.peek().is_some_and(|&n| n < i) {
                next.next();
            }
            if next.peek() == Some(&i) {
                next.next();
                removed.push((i, value));
            } else {
                items.push(value);
            }
        }
        let count = removed.len();
        let mark = self.push_undo(Undo::Reinsert {
            slot: slot.clone(),
            removed,
        });
        Some((mark, count))
    }

    /// Replace the element at `index`; returns the old one.
    pub(crate) fn set_element(
        &mut self,
        res: &mut Map<String, Value>,
        slot: &Slot,
        index: usize,
        value: Value,
    ) -> Option<Mark> {
        self.index = None;
        let element = attr_mut(res, slot)?.as_array_mut()?.get_mut(index)?;
        let old = std::mem::replace(element, value);
        Some(self.push_undo(Undo::Element {
            slot: slot.clone(),
            index,
            old,
        }))
    }

    /// Set (or remove) a member of the attribute's object (`index` None) or
    /// of one of its elements. Returns the old member value.
    pub(crate) fn set_member(
        &mut self,
        res: &mut Map<String, Value>,
        slot: &Slot,
        index: Option<usize>,
        key: &str,
        value: Option<Value>,
    ) -> Option<Mark> {
        self.index = None;
        let object = member_object(res, slot, index)?;
        let old = set_or_remove(object, key, value);
        Some(self.push_undo(Undo::Member {
            slot: slot.clone(),
            index,
            key: CompactString::new(key),
            old,
        }))
    }

    /// Undo everything, newest first.
    pub(crate) fn rollback(self, res: &mut Map<String, Value>) {
        for undo in self.undo.into_iter().rev() {
            match undo {
                Undo::RootKey { key, old } => {
                    set_or_remove(res, &key, old);
                }
                Undo::Attr { slot, old } => {
                    if let Some(object) = container(res, &slot) {
                        set_or_remove(object, &slot.key, old);
                    }
                }
                Undo::Truncate { slot, len } => {
                    if let Some(items) = attr_mut(res, &slot).and_then(Value::as_array_mut) {
                        items.truncate(len);
                    }
                }
                Undo::Reinsert { slot, removed } => {
                    if let Some(items) = attr_mut(res, &slot).and_then(Value::as_array_mut) {
                        let kept = std::mem::take(items);
                        items.reserve(kept.len() + removed.len());
                        let mut kept = kept.into_iter();
                        for (at, value) in removed {
                            while items.len() < at {
                                match kept.next() {
                                    Some(v) => items.push(v),
                                    None => break,
                                }
                            }
                            items.push(value);
                        }
                        items.extend(kept);
                    }
                }
                Undo::Element { slot, index, old } => {
                    if let Some(element) = attr_mut(res, &slot)
                        .and_then(Value::as_array_mut)
                        .and_then(|items| items.get_mut(index))
                    {
                        *element = old;
                    }
                }
                Undo::Member {
                    slot,
                    index,
                    key,
                    old,
                } => {
                    if let Some(object) = member_object(res, &slot, index) {
                        set_or_remove(object, &key, old);
                    }
                }
            }
        }
    }
}
