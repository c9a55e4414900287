//! Strict RFC behaviour by default; each deviation real clients need is a
//! named switch (the way sqlparser models SQL dialects).
//!
//! [`PatchOptions::strict`] follows RFC 7644 to the letter.
//! [`PatchOptions::entra`] turns on every switch Microsoft Entra's
//! provisioning service needs (its quirks are listed, with examples, in the
//! scimkit docs); the `with_*` setters take only some, or change a limit.

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
///
/// Non-exhaustive (more switches will come): start from
/// [`PatchOptions::strict`] or [`PatchOptions::entra`] and change what
/// you need with the `with_*` setters (or by assigning a field).
///
/// ```
/// use scimkit_patch::PatchOptions;
///
/// // Strict, except Entra's capitalised ops, and at most 50 operations.
/// let options = PatchOptions::strict().with_op_any_case(true).with_max_operations(50);
/// assert!(options.op_any_case && !options.string_booleans);
/// assert_eq!(options.max_operations, 50);
/// ```
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

    /// These options with [`max_operations`](Self::max_operations) set to `value`.
    #[must_use]
    pub fn with_max_operations(mut self, value: usize) -> Self {
        self.max_operations = value;
        self
    }

    /// These options with [`max_values_per_operation`](Self::max_values_per_operation) set to `value`.
    #[must_use]
    pub fn with_max_values_per_operation(mut self, value: usize) -> Self {
        self.max_values_per_operation = value;
        self
    }

    /// These options with [`max_value_depth`](Self::max_value_depth) set to `value`.
    #[must_use]
    pub fn with_max_value_depth(mut self, value: usize) -> Self {
        self.max_value_depth = value;
        self
    }

    /// These options with [`unknown_attributes`](Self::unknown_attributes) set to `value`.
    #[must_use]
    pub fn with_unknown_attributes(mut self, value: UnknownAttributes) -> Self {
        self.unknown_attributes = value;
        self
    }

    /// These options with [`op_any_case`](Self::op_any_case) set to `value`.
    #[must_use]
    pub fn with_op_any_case(mut self, value: bool) -> Self {
        self.op_any_case = value;
        self
    }

    /// These options with [`string_booleans`](Self::string_booleans) set to `value`.
    #[must_use]
    pub fn with_string_booleans(mut self, value: bool) -> Self {
        self.string_booleans = value;
        self
    }

    /// These options with [`remove_with_value`](Self::remove_with_value) set to `value`.
    #[must_use]
    pub fn with_remove_with_value(mut self, value: bool) -> Self {
        self.remove_with_value = value;
        self
    }

    /// These options with [`path_keys_in_value`](Self::path_keys_in_value) set to `value`.
    #[must_use]
    pub fn with_path_keys_in_value(mut self, value: bool) -> Self {
        self.path_keys_in_value = value;
        self
    }

    /// These options with [`upsert_filtered`](Self::upsert_filtered) set to `value`.
    #[must_use]
    pub fn with_upsert_filtered(mut self, value: bool) -> Self {
        self.upsert_filtered = value;
        self
    }

    /// These options with [`manager_as_string`](Self::manager_as_string) set to `value`.
    #[must_use]
    pub fn with_manager_as_string(mut self, value: bool) -> Self {
        self.manager_as_string = value;
        self
    }

    /// These options with [`empty_operations`](Self::empty_operations) set to `value`.
    #[must_use]
    pub fn with_empty_operations(mut self, value: bool) -> Self {
        self.empty_operations = value;
        self
    }

    /// These options with [`remove_unmatched_is_noop`](Self::remove_unmatched_is_noop) set to `value`.
    #[must_use]
    pub fn with_remove_unmatched_is_noop(mut self, value: bool) -> Self {
        self.remove_unmatched_is_noop = value;
        self
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_setter_sets_its_field_and_only_it() {
        let strict = PatchOptions::strict();
        let entra = PatchOptions::entra();
        let all_on = strict
            .clone()
            .with_op_any_case(true)
            .with_string_booleans(true)
            .with_remove_with_value(true)
            .with_path_keys_in_value(true)
            .with_upsert_filtered(true)
            .with_manager_as_string(true)
            .with_empty_operations(true)
            .with_remove_unmatched_is_noop(true);
        assert_eq!(all_on, entra);
        let limits = strict
            .clone()
            .with_max_operations(1)
            .with_max_values_per_operation(2)
            .with_max_value_depth(3)
            .with_unknown_attributes(UnknownAttributes::Keep);
        assert_eq!(
            (
                limits.max_operations,
                limits.max_values_per_operation,
                limits.max_value_depth,
                limits.unknown_attributes
            ),
            (1, 2, 3, UnknownAttributes::Keep)
        );
        assert_eq!(
            limits
                .with_max_operations(strict.max_operations)
                .with_max_values_per_operation(strict.max_values_per_operation)
                .with_max_value_depth(strict.max_value_depth)
                .with_unknown_attributes(UnknownAttributes::Reject),
            strict
        );
    }
}
