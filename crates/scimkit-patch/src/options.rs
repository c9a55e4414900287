//! Strict RFC behaviour by default; each deviation real clients need is a
//! named switch (the way sqlparser models SQL dialects).
//!
//! [`PatchOptions::strict`] follows RFC 7644 to the letter.
//! [`PatchOptions::entra`] turns on every switch Microsoft Entra's
//! provisioning service needs (its quirks are listed, with examples, in the
//! scimkit docs); set fields one by one to take only some.

/// What to do with attributes the schema does not define.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownAttributes {
    /// 400 `invalidPath` (the default).
    #[default]
    Reject,
    /// Apply the operation to the JSON as given, without type checks.
    Keep,
}

/// Options for parsing and applying a PATCH request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PatchOptions {
    /// Most operations in one request (default 1000); more is `invalidSyntax`.
    pub max_operations: usize,
    /// Most values one operation may carry, counting every element of every
    /// array in its `value` (default 10,000: a 10,000-member add or
    /// replace). More is `invalidValue`. Raise it for bulk membership loads;
    /// the cost of an operation stays linear in what it carries.
    pub max_values_per_operation: usize,
    /// Deepest nesting of an operation's `value` (default 32; SCIM values
    /// nest at most four deep: extension, complex, multi-valued, element).
    /// Deeper is `invalidValue`. Values built in code rather than parsed
    /// can be nested arbitrarily deep; this bound keeps every walk over
    /// them (comparison, copies, drops) off the end of the stack.
    pub max_value_depth: usize,
    /// Attributes the schema does not define.
    pub unknown_attributes: UnknownAttributes,
    /// Accept `op` in any case: `"Add"`, `"Replace"`, `"Remove"` (Entra Q1, Q3).
    /// Strict: only the RFC's lowercase keywords; others are `invalidSyntax`.
    pub op_any_case: bool,
    /// Accept `"True"`/`"False"` (any case) for boolean attributes (Entra Q2:
    /// `{"op":"Replace","path":"active","value":"False"}`). Strict: `invalidValue`.
    pub string_booleans: bool,
    /// Accept `remove` with a `value` array on a multi-valued path, removing
    /// the listed values (Entra Q6: `{"op":"Remove","path":"members",
    /// "value":[{"value":"u1"}]}`). Strict: `invalidSyntax`, since ignoring
    /// the value would remove every member.
    pub remove_with_value: bool,
    /// In a path-less `add`/`replace`, read keys that are attribute paths
    /// (`"name.givenName"`, `"emails[type eq \"work\"].value"`,
    /// `"urn:...:enterprise:2.0:User:employeeNumber"`) as one operation per
    /// key (Entra Q5, with `aadOptscim062020`). Strict: such keys are not
    /// attribute names (`invalidPath`).
    pub path_keys_in_value: bool,
    /// `add`/`replace` through a value filter that matches nothing creates
    /// the element from the filter's `eq` terms plus the value (Entra Q11:
    /// `phoneNumbers[type eq "work"].value` on a user without a work phone).
    /// Strict: `noTarget`.
    pub upsert_filtered: bool,
    /// Accept the enterprise `manager` as a bare id string (Entra Q8) and
    /// store it as `{"value": id}`. Strict: `invalidValue`.
    pub manager_as_string: bool,
    /// Accept an empty `Operations` array as a request that changes nothing
    /// (sent by some Microsoft validators). Strict: `invalidSyntax`.
    pub empty_operations: bool,
    /// A `remove` whose value filter matches nothing changes nothing.
    /// Strict: `noTarget` (RFC 7644 §3.12: "the specified path ... yields no
    /// match"). Entra re-sends member removals, so its profile enables this.
    pub remove_unmatched_is_noop: bool,
}

impl Default for PatchOptions {
    fn default() -> Self {
        Self::strict()
    }
}

impl PatchOptions {
    /// RFC 7644 to the letter.
    pub fn strict() -> Self {
        Self {
            max_operations: 1000,
            max_values_per_operation: 10_000,
            max_value_depth: 32,
            unknown_attributes: UnknownAttributes::Reject,
            op_any_case: false,
            string_booleans: false,
            remove_with_value: false,
            path_keys_in_value: false,
            upsert_filtered: false,
            manager_as_string: false,
            empty_operations: false,
            remove_unmatched_is_noop: false,
        }
    }

    /// Everything Microsoft Entra's provisioning service sends.
    pub fn entra() -> Self {
        Self {
            op_any_case: true,
            string_booleans: true,
            remove_with_value: true,
            path_keys_in_value: true,
            upsert_filtered: true,
            manager_as_string: true,
            empty_operations: true,
            remove_unmatched_is_noop: true,
            ..Self::strict()
        }
    }
}
