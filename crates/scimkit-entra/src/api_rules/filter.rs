//! Entra's documented filter subset (fact sheet A9, newest MS-REF); the
//! rules are documented on [`check_filter`].

use scimkit_filter::visit::{fold, Fold};
use scimkit_filter::{CompValue, CompareOp, Filter, Span};
use scimkit_schema::AttrPath;

use super::Unsupported;
use crate::{ResourceKind, ENTRA_GROUP_URN, ENTRA_USER_URN};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Literal {
    String,
    Boolean,
}

/// One filterable attribute.
struct Rule {
    /// `None`: the core schema (bare or core-URN-qualified).
    schema: Option<&'static str>,
    attribute: &'static str,
    sub: Option<&'static str>,
    ew: bool,
    literal: Literal,
}

const fn rule(
    schema: Option<&'static str>,
    attribute: &'static str,
    sub: Option<&'static str>,
    ew: bool,
    literal: Literal,
) -> Rule {
    Rule {
        schema,
        attribute,
        sub,
        ew,
        literal,
    }
}

const USER_RULES: &[Rule] = &[
    rule(None, "active", None, false, Literal::Boolean),
    rule(None, "userName", None, true, Literal::String),
    rule(None, "externalId", None, false, Literal::String),
    rule(None, "id", None, false, Literal::String),
    rule(None, "groups", Some("value"), false, Literal::String),
    rule(
        Some(ENTRA_USER_URN),
        "mailNickname",
        None,
        true,
        Literal::String,
    ),
    rule(
        Some(ENTRA_USER_URN),
        "ownedGroups",
        Some("value"),
        false,
        Literal::String,
    ),
];

const GROUP_RULES: &[Rule] = &[
    rule(None, "displayName", None, true, Literal::String),
    rule(None, "id", None, false, Literal::String),
    rule(None, "members", Some("value"), false, Literal::String),
    rule(
        Some(ENTRA_GROUP_URN),
        "securityEnabled",
        None,
        false,
        Literal::Boolean,
    ),
    rule(
        Some(ENTRA_GROUP_URN),
        "mailEnabled",
        None,
        false,
        Literal::Boolean,
    ),
    rule(
        Some(ENTRA_GROUP_URN),
        "owners",
        Some("value"),
        false,
        Literal::String,
    ),
];

const USER_SUMMARY: &str =
    "/users filters on eq of active, userName, externalId, id, groups.value, \
    urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:mailNickname and \
    ...:User:ownedGroups.value, and ew of userName and ...:User:mailNickname";
const GROUP_SUMMARY: &str = "/groups filters on eq of displayName, id, members.value, \
    urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group:securityEnabled, \
    ...:Group:mailEnabled and ...:Group:owners.value, and ew of displayName";

/// Check that Entra's SCIM API supports `filter` on `kind`, before a
/// billed call. The first clause it would refuse is named, with its span.
/// The rules (fact sheet A9, newest MS-REF):
///
/// | Resource | `eq` | `ew` |
/// |---|---|---|
/// | `/users` | `active` (boolean), `userName`, `externalId`, `id`, `groups.value`, `urn:...:Microsoft:Entra:2.0:User:mailNickname`, `urn:...:Microsoft:Entra:2.0:User:ownedGroups.value` | `userName`, `urn:...:User:mailNickname` |
/// | `/groups` | `displayName`, `id`, `members.value`, `urn:...:Microsoft:Entra:2.0:Group:securityEnabled`, `...:mailEnabled` (booleans), `...:owners.value` | `displayName` |
///
/// - `and` combines; `or` is not supported. On `/users`, `not ( ... )` may
///   negate one `ew` comparison only; the `/groups` docs allow `and` only,
///   so `not` is refused there.
/// - `externalId` cannot be combined with anything else.
/// - Extension attributes must be fully URN-qualified; core attributes may
///   be written with or without the core URN (RFC 7644 §3.10; the docs only
///   show them bare, so the qualified form is inferred to work).
/// - Not supported: `co`, `sw`, `gt`/`ge`/`lt`/`le`, `pr`, `ne`, complex
///   `[...]` filters.
/// - `displayName eq` on `/users` appears only in the 02/2026 doc; the
///   newest list omits it, so it is refused.
/// - Literals: strings for the string attributes, `true`/`false` for the
///   booleans (Entra accepts them in any case, `TRUE`/`FALSE`; parse with
///   [`ParseOptions::entra()`](scimkit_filter::ParseOptions::entra) to
///   accept those, the RFC grammar does not). Ids are not checked to be
///   GUIDs.
///
/// ```
/// use scimkit_entra::{api::check_filter, ResourceKind};
/// use scimkit_filter::Filter;
///
/// let ok = Filter::parse(r#"not(urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:mailNickname ew "-admin") and userName ew "@contoso.com""#)?;
/// assert!(check_filter(&ok, ResourceKind::User).is_ok());
///
/// let f = Filter::parse(r#"externalId eq "x" and userName eq "y""#)?;
/// let err = check_filter(&f, ResourceKind::User).unwrap_err();
/// assert_eq!(err.clause(), r#"externalId eq "x""#);
/// assert!(err.reason().contains("cannot be combined"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_filter(filter: &Filter, kind: ResourceKind) -> Result<(), Unsupported> {
    let mut checker = Checker { kind, inside: 0 };
    let shape = fold(filter, &mut checker).map_err(|mut e| {
        name_clause(filter, &mut e);
        e
    })?;
    if let Some(span) = shape.external_id {
        if shape.terms > 1 {
            let mut e = Unsupported::filter(
                String::new(),
                span,
                "externalId cannot be combined with other filters",
            );
            name_clause(filter, &mut e);
            return Err(e);
        }
    }
    Ok(())
}

/// Print the clause at the error's span from the filter itself.
fn name_clause(filter: &Filter, e: &mut Unsupported) {
    let mut found = None;
    filter.walk(&mut |node| {
        if found.is_none() && node.span() == e.span {
            found = Some(node.to_string());
        }
    });
    if let Some(clause) = found {
        e.clause = clause;
    } else if e.clause.is_empty() {
        e.clause = filter.to_string();
    }
}

#[derive(Clone, Copy, Default)]
struct Shape {
    /// A single `ew` comparison (what `not` may negate).
    ew: bool,
    /// Where `externalId` is compared.
    external_id: Option<Span>,
    /// Comparisons joined.
    terms: usize,
}

struct Checker {
    kind: ResourceKind,
    inside: usize,
}

impl Checker {
    fn rules(&self) -> (&'static [Rule], &'static str) {
        match self.kind {
            ResourceKind::User => (USER_RULES, USER_SUMMARY),
            ResourceKind::Group => (GROUP_RULES, GROUP_SUMMARY),
        }
    }
}

fn same(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => false,
    }
}

impl Fold for Checker {
    type Output = Shape;
    type Error = Unsupported;

    fn compare(
        &mut self,
        path: &AttrPath,
        op: CompareOp,
        value: &CompValue,
        span: Span,
    ) -> Result<Shape, Unsupported> {
        if self.inside > 0 {
            // The value path itself is refused when it closes.
            return Ok(Shape::default());
        }
        let clause = || Filter::compare(path.clone(), op, value.clone()).to_string();
        let refuse = |reason: String| Err(Unsupported::filter(clause(), span, reason));
        let (rules, summary) = self.rules();
        let named = |r: &&Rule| {
            r.attribute.eq_ignore_ascii_case(path.attribute()) && same(r.sub, path.sub_attribute())
        };
        let core = self.kind.core_urn();
        let matched = rules
            .iter()
            .filter(named)
            .find(|r| match (r.schema, path.schema()) {
                (None, None) => true,
                (None, Some(s)) => s.eq_ignore_ascii_case(core),
                (Some(urn), Some(s)) => s.eq_ignore_ascii_case(urn),
                (Some(_), None) => false,
            });
        let Some(rule) = matched else {
            if let Some(r) = rules.iter().filter(named).find(|r| r.schema.is_some()) {
                return refuse(format!(
                    "extension attributes must be fully URN-qualified: {}:{}",
                    r.schema.unwrap_or_default(),
                    path.attribute()
                ));
            }
            if self.kind == ResourceKind::User
                && path.attribute().eq_ignore_ascii_case("displayName")
                && path.sub_attribute().is_none()
            {
                return refuse(format!(
                    "displayName is not filterable on /users (only the 02/2026 doc listed it); {USER_SUMMARY}"
                ));
            }
            return refuse(format!("{path} is not filterable; {summary}"));
        };
        match op {
            CompareOp::Eq => {}
            CompareOp::Ew if rule.ew => {}
            CompareOp::Ew => {
                return refuse(format!("{path} takes eq only; {summary}"));
            }
            other => {
                return refuse(format!(
                    "{} is not supported (Entra's filters use eq and ew only); {summary}",
                    other.as_str()
                ));
            }
        }
        match (rule.literal, value) {
            (Literal::String, CompValue::String(_)) | (Literal::Boolean, CompValue::Bool(_)) => {}
            (Literal::String, _) => return refuse(format!("{path} compares with a string")),
            (Literal::Boolean, _) => return refuse(format!("{path} compares with true or false")),
        }
        Ok(Shape {
            ew: op == CompareOp::Ew,
            external_id: (rule.attribute == "externalId").then_some(span),
            terms: 1,
        })
    }

    fn present(&mut self, path: &AttrPath, span: Span) -> Result<Shape, Unsupported> {
        if self.inside > 0 {
            return Ok(Shape::default());
        }
        Err(Unsupported::filter(
            format!("{path} pr"),
            span,
            "pr is not supported",
        ))
    }

    fn and(&mut self, children: Vec<Shape>, _: Span) -> Result<Shape, Unsupported> {
        Ok(Shape {
            ew: false,
            external_id: children.iter().find_map(|c| c.external_id),
            terms: children.iter().map(|c| c.terms).sum(),
        })
    }

    fn or(&mut self, _: Vec<Shape>, span: Span) -> Result<Shape, Unsupported> {
        if self.inside > 0 {
            return Ok(Shape::default());
        }
        Err(Unsupported::filter(
            String::new(),
            span,
            "or is not supported (send one request per alternative)",
        ))
    }

    fn not(&mut self, inner: Shape, span: Span) -> Result<Shape, Unsupported> {
        if self.inside > 0 {
            return Ok(Shape::default());
        }
        match self.kind {
            ResourceKind::User if inner.ew && inner.terms == 1 => Ok(Shape { ew: false, ..inner }),
            ResourceKind::User => Err(Unsupported::filter(
                String::new(),
                span,
                "not may only negate one ew comparison, as in not(userName ew \"-admin\")",
            )),
            ResourceKind::Group => Err(Unsupported::filter(
                String::new(),
                span,
                "not is not supported on /groups (and only)",
            )),
        }
    }

    fn value_path(&mut self, path: &AttrPath, _: Shape, span: Span) -> Result<Shape, Unsupported> {
        // Suggest `{path}.value` only where that is a listed attribute.
        let (rules, summary) = self.rules();
        let value_rule = rules.iter().any(|r| {
            r.attribute.eq_ignore_ascii_case(path.attribute())
                && r.sub.is_some_and(|s| s.eq_ignore_ascii_case("value"))
                && same(r.schema, path.schema())
        });
        let reason = if value_rule && path.sub_attribute().is_none() {
            format!("complex [] filters are not supported (filter on {path}.value eq \"...\")")
        } else {
            format!("complex [] filters are not supported; {summary}")
        };
        Err(Unsupported::filter(String::new(), span, reason))
    }

    fn enter_value_path(&mut self, _: &AttrPath) {
        self.inside += 1;
    }

    fn exit_value_path(&mut self, _: &AttrPath) {
        self.inside = self.inside.saturating_sub(1);
    }
}
