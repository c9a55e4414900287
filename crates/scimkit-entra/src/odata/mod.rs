//! SCIM filters to Microsoft Graph OData `$filter` expressions: a
//! [`Fold`] over the filter into a `$filter` string, rows found through
//! the mapping table. The rules are documented on [`to_odata`].

mod capability;
mod literal;

pub use capability::{capabilities, capability, Capability, GraphFilterOp, Support};

use std::fmt;

use scimkit_filter::selector::is_selector_attribute;
use scimkit_filter::visit::{fold, Fold};
use scimkit_filter::{CompValue, CompareOp, Filter, Selector, Span};
use scimkit_patch::PatchPath;
use scimkit_schema::{AttrPath, AttributeType, ScimError, ScimType};
use serde::Serialize;

use crate::convert::csa;
use crate::table::{rows_for, rows_for_filter, Direction, GraphType, Mapping};
use crate::ResourceKind;

/// A Graph `$filter` and what sending it needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OData {
    /// The `$filter` expression (not URL-encoded).
    pub filter: String,
    /// True when Graph only accepts the filter as an *advanced query*:
    /// send `ConsistencyLevel: eventual` and `$count=true`.
    pub advanced: bool,
}

impl OData {
    /// The query string: `$filter=...` URL-encoded, plus `&$count=true`
    /// for an advanced query.
    ///
    /// ```
    /// use scimkit_entra::{odata::to_odata, ResourceKind};
    /// use scimkit_filter::Filter;
    ///
    /// let q = to_odata(&Filter::parse(r#"userName ew "@contoso.com""#)?, ResourceKind::User)?;
    /// assert_eq!(q.query(), "$filter=endswith(userPrincipalName,'@contoso.com')&$count=true");
    /// assert_eq!(q.headers(), [("ConsistencyLevel", "eventual")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn query(&self) -> String {
        let mut q = format!("$filter={}", literal::encode_query_value(&self.filter));
        if self.advanced {
            q.push_str("&$count=true");
        }
        q
    }

    /// The request headers the query needs: `ConsistencyLevel: eventual`
    /// for an advanced query, none otherwise.
    pub fn headers(&self) -> &'static [(&'static str, &'static str)] {
        if self.advanced {
            &[("ConsistencyLevel", "eventual")]
        } else {
            &[]
        }
    }
}

/// Why a filter has no OData translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ODataErrorKind {
    /// Graph's `$filter` cannot say it (`co`, `externalId`, relationships,
    /// unmapped attributes, ...).
    NotExpressible,
    /// A literal does not fit the attribute (`active eq "yes"`, a date-time
    /// that does not parse).
    InvalidLiteral,
}

/// A filter clause with no OData translation: what, where, and why.
///
/// Converts into a `400 invalidFilter` [`ScimError`] whose detail starts
/// with "not expressible as an OData $filter" (or "invalid literal").
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ODataError {
    kind: ODataErrorKind,
    clause: String,
    span: Span,
    reason: String,
}

impl ODataError {
    fn new(kind: ODataErrorKind, clause: String, span: Span, reason: String) -> Self {
        Self {
            kind,
            clause,
            span,
            reason,
        }
    }

    /// What kind of failure.
    pub fn kind(&self) -> ODataErrorKind {
        self.kind
    }

    /// The clause, printed canonically (`nickName eq "Babs"`).
    pub fn clause(&self) -> &str {
        &self.clause
    }

    /// The clause's byte span in the parsed filter text (empty for filters
    /// built in code).
    pub fn span(&self) -> Span {
        self.span
    }

    /// Why it cannot be translated.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    fn render(&self) -> String {
        let what = match self.kind {
            ODataErrorKind::NotExpressible => "not expressible as an OData $filter",
            ODataErrorKind::InvalidLiteral => "invalid literal for an OData $filter",
        };
        let at = if self.span == Span::default() {
            String::new()
        } else {
            format!(" (bytes {}..{})", self.span.start, self.span.end)
        };
        format!("{what}: `{}`{at}: {}", self.clause, self.reason)
    }
}

impl From<ODataError> for ScimError {
    fn from(e: ODataError) -> Self {
        Self::new(ScimType::InvalidFilter, e.to_string())
    }
}

/// Translate a SCIM filter on `kind` into a Microsoft Graph `$filter`,
/// and say whether Graph needs its *advanced query* parameters
/// (`ConsistencyLevel: eventual` and `$count=true`) for it. Never panics;
/// every clause Graph cannot express is an [`ODataError`] naming it.
///
/// Attributes become the Graph properties the mapping table gives
/// ([`lookup`](crate::mapping::lookup)); each operator on each property is then
/// looked up in Graph's own `$filter` capability table ([`capabilities`]):
/// what the table does not list is refused, and the query is marked
/// advanced when any row it uses says so, or when it uses `ne`, `not`,
/// `pr` or `/$count` (Graph runs those only as advanced queries).
///
/// | SCIM | OData | Advanced |
/// |---|---|---|
/// | `userName eq "a@x.com"` | `userPrincipalName eq 'a@x.com'` | |
/// | `title ne "CEO"` | `jobTitle ne 'CEO'` | yes |
/// | `displayName sw "Ad"` | `startswith(displayName,'Ad')` | |
/// | `userName ew "@x.com"` | `endswith(userPrincipalName,'@x.com')` | yes |
/// | `title pr` | `jobTitle ne null` | yes |
/// | `not (a)` | `not(a)` | yes |
/// | `emails[type eq "other" and value eq "a@x.com"]` | `otherMails/any(x:x eq 'a@x.com')` | |
/// | `phoneNumbers[type eq "mobile" and value sw "+47"]` | `startswith(mobilePhone,'+47')` | yes (the table says so) |
/// | `emails[primary eq true and value eq "a@x.com"]` | `mail eq 'a@x.com'` | |
/// | `emails[type eq "work" and value eq "a@x.com"]` | `(mail eq 'a@x.com' or proxyAddresses/any(x:x eq 'smtp:a@x.com'))` | |
/// | `active eq false` | `accountEnabled eq false` | |
/// | `urn:...:Entra:2.0:User:passwordProfile.forceChangePasswordNextSignIn eq true` | `passwordProfile/forceChangePasswordNextSignIn eq true` | yes |
/// | `meta.created ge "2023-05-19T11:24:25+02:00"` (Group) | `createdDateTime ge 2023-05-19T11:24:25+02:00` | yes |
/// | `emails.value eq "a@x.com"` | `(mail eq 'a@x.com' or otherMails/any(x:x eq 'a@x.com') or proxyAddresses/any(x:x eq 'smtp:a@x.com'))` | |
///
/// Strings are single-quoted with `'` doubled; date-times are unquoted
/// (`2023-05-19T11:24:25Z`); booleans are `true`/`false`. Nested Graph
/// properties use `/` (`employeeOrgData/costCenter`,
/// `onPremisesExtensionAttributes/extensionAttribute1`,
/// `customSecurityAttributes/Project/ProjectName`).
///
/// **Email selectors** mean what they mean on
/// [`from_graph`](crate::convert::from_graph)'s output, which is shaped like Entra's
/// responses: the work email (`mail`) is `type: "work", primary: true`, SMTP
/// proxy addresses are `type: "work", primary: false`, other mails are
/// `type: "other"` without `primary`. So `emails[primary eq true]` is `mail`
/// only, `emails[type eq "work"]` is `mail` or an SMTP proxy address, and a
/// SCIM filter evaluated on a converted user matches exactly when Graph's
/// translation does. (PATCH paths read `emails[type eq "work"]` as the work
/// email alone, as Entra's API reference writes them; see
/// [`lookup`](crate::mapping::lookup).)
///
/// **Not expressible** (an [`ODataError`] naming the clause, its byte span
/// and the reason): what the capability table does not list (`endswith`
/// other than on `mail`, `otherMails`, `userPrincipalName` and
/// `proxyAddresses`; `gt`/`lt`; `eq` on `createdDateTime` or
/// `employeeHireDate`; `startswith` on `employeeId`; `userPrincipalName eq
/// null`; `groupTypes/$count`; properties Graph does not filter at all such
/// as `lastPasswordChangeDateTime`), `co` (Graph's `$filter` has no
/// substring test on directory objects; `$search` is tokenized and only
/// covers `displayName` and `description`), attributes with no Graph
/// property (`nickName`), `externalId` (kept in `crossDomainData`, which
/// `$filter` cannot reach), `password`, relationships (`groups.value eq
/// "G"`: the hint names `GET /groups/G/members`; `members.value eq "U"`:
/// `GET /users/U/memberOf`; `manager.value eq "M"`: `GET
/// /users/M/directReports`; likewise owners and ownedGroups), `ne` on a
/// collection (SCIM means "some value differs"; Graph's `any` has no
/// `ne`), several conditions on one value of a Graph collection, and value
/// filters whose `type`/`primary` terms are not plain `eq` joined by `and`.
///
/// ```
/// use scimkit_entra::{odata::{to_odata, ODataErrorKind}, ResourceKind};
/// use scimkit_filter::Filter;
///
/// let f = Filter::parse(r#"emails[type eq "other" and value eq "o'neil@example.com"] and not (active eq true)"#)?;
/// let q = to_odata(&f, ResourceKind::User)?;
/// assert_eq!(q.filter, "otherMails/any(x:x eq 'o''neil@example.com') and not(accountEnabled eq true)");
/// assert!(q.advanced);
///
/// let err = to_odata(&Filter::parse(r#"userName eq "a" or title co "Dev""#)?, ResourceKind::User).unwrap_err();
/// assert_eq!(err.kind(), ODataErrorKind::NotExpressible);
/// assert_eq!(err.clause(), r#"title co "Dev""#);
/// assert_eq!((err.span().start, err.span().end), (19, 33));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_odata(filter: &Filter, kind: ResourceKind) -> Result<OData, ODataError> {
    let mut translator = Translator { kind, inside: 0 };
    match fold(filter, &mut translator) {
        Ok(Node::Expr(e)) => Ok(OData {
            filter: e.text,
            advanced: e.advanced,
        }),
        // A bare sub-attribute term only occurs inside a value path.
        Ok(Node::Sub(_)) => Err(ODataError::new(
            ODataErrorKind::NotExpressible,
            filter.to_string(),
            filter.span(),
            "not a filter on a resource".to_owned(),
        )),
        Err(mut e) => {
            // Name the clause as the client wrote it, when its span is known.
            if e.span != Span::default() {
                let mut found = None;
                filter.walk(&mut |node| {
                    if found.is_none() && node.span() == e.span {
                        found = Some(node.to_string());
                    }
                });
                if let Some(clause) = found {
                    e.clause = clause;
                }
            }
            Err(e)
        }
    }
}

/// Binding strength of an expression, for parentheses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Or,
    And,
    Atom,
}

#[derive(Clone, Debug)]
struct Expr {
    text: String,
    prec: Prec,
    advanced: bool,
    /// Graph properties in it that Graph cannot negate (no `not`/`ne` row
    /// in the capability table).
    no_not: Vec<String>,
}

impl Expr {
    fn atom(text: String, advanced: bool) -> Self {
        Self {
            text,
            prec: Prec::Atom,
            advanced,
            no_not: Vec::new(),
        }
    }

    /// The expression on `property`, noting whether Graph can negate it.
    fn on(text: String, advanced: bool, kind: ResourceKind, property: &str) -> Self {
        let mut e = Self::atom(text, advanced);
        if capability(kind, property, GraphFilterOp::Not).is_none() {
            e.no_not.push(property.to_owned());
        }
        e
    }

    /// Join with `and` / `or`, parenthesising weaker operands.
    fn join(children: Vec<Self>, prec: Prec) -> Self {
        if children.len() == 1 {
            return children
                .into_iter()
                .next()
                .unwrap_or_else(|| Self::atom(String::new(), false));
        }
        let word = if prec == Prec::Or { " or " } else { " and " };
        let advanced = children.iter().any(|c| c.advanced);
        let mut no_not: Vec<String> = Vec::new();
        for c in &children {
            for p in &c.no_not {
                if !no_not.contains(p) {
                    no_not.push(p.clone());
                }
            }
        }
        let text = children
            .into_iter()
            .map(|c| {
                if c.prec < prec {
                    format!("({})", c.text)
                } else {
                    c.text
                }
            })
            .collect::<Vec<_>>()
            .join(word);
        Self {
            text,
            prec,
            advanced,
            no_not,
        }
    }

    /// Several rows' expressions for one SCIM clause: any of them.
    fn any_of(children: Vec<Self>) -> Self {
        let mut e = Self::join(children, Prec::Or);
        if e.prec == Prec::Or {
            e = Self {
                text: format!("({})", e.text),
                prec: Prec::Atom,
                ..e
            };
        }
        e
    }
}

/// A term inside `attr[...]`, translated when the value path closes (its
/// rows depend on the whole filter's `type` and `primary`).
#[derive(Clone, Debug)]
enum Sub {
    Leaf {
        path: AttrPath,
        test: Test,
        span: Span,
    },
    And(Vec<Self>),
    Or(Vec<Self>),
    Not(Box<Self>),
}

#[derive(Clone, Debug)]
enum Test {
    Compare(CompareOp, CompValue),
    Present,
}

impl Test {
    fn clause(&self, path: &AttrPath) -> String {
        match self {
            Self::Compare(op, value) => {
                Filter::compare(path.clone(), *op, value.clone()).to_string()
            }
            Self::Present => format!("{path} pr"),
        }
    }
}

enum Node {
    Expr(Expr),
    Sub(Sub),
}

struct Translator {
    kind: ResourceKind,
    /// How many value paths the fold is inside (0 or 1: they do not nest).
    inside: usize,
}

/// Where an error points: the clause and the span.
struct At<'a> {
    clause: &'a str,
    span: Span,
}

impl At<'_> {
    fn not_expressible(&self, reason: impl Into<String>) -> ODataError {
        ODataError::new(
            ODataErrorKind::NotExpressible,
            self.clause.to_owned(),
            self.span,
            reason.into(),
        )
    }

    fn invalid_literal(&self, reason: impl Into<String>) -> ODataError {
        ODataError::new(
            ODataErrorKind::InvalidLiteral,
            self.clause.to_owned(),
            self.span,
            reason.into(),
        )
    }
}

impl Fold for Translator {
    type Output = Node;
    type Error = ODataError;

    fn compare(
        &mut self,
        path: &AttrPath,
        op: CompareOp,
        value: &CompValue,
        span: Span,
    ) -> Result<Node, ODataError> {
        self.leaf(path, Test::Compare(op, value.clone()), span)
    }

    fn present(&mut self, path: &AttrPath, span: Span) -> Result<Node, ODataError> {
        self.leaf(path, Test::Present, span)
    }

    fn and(&mut self, children: Vec<Node>, span: Span) -> Result<Node, ODataError> {
        self.logical(children, Prec::And, span)
    }

    fn or(&mut self, children: Vec<Node>, span: Span) -> Result<Node, ODataError> {
        self.logical(children, Prec::Or, span)
    }

    fn not(&mut self, inner: Node, span: Span) -> Result<Node, ODataError> {
        Ok(match inner {
            Node::Sub(s) => Node::Sub(Sub::Not(Box::new(s))),
            Node::Expr(e) => Node::Expr(negate(e, "", span)?),
        })
    }

    fn enter_value_path(&mut self, _: &AttrPath) {
        self.inside += 1;
    }

    fn exit_value_path(&mut self, _: &AttrPath) {
        self.inside = self.inside.saturating_sub(1);
    }

    fn value_path(&mut self, path: &AttrPath, inner: Node, span: Span) -> Result<Node, ODataError> {
        match inner {
            Node::Sub(sub) => self.value_path_expr(path, sub, span).map(Node::Expr),
            Node::Expr(_) => Err(nested_value_path(span)),
        }
    }
}

/// A shape the parser never produces (a value path inside a value path);
/// an error rather than a panic all the same.
fn nested_value_path(span: Span) -> ODataError {
    ODataError::new(
        ODataErrorKind::NotExpressible,
        String::new(),
        span,
        "value paths do not nest".to_owned(),
    )
}

/// `not(e)`: advanced, and only on properties Graph can negate (its
/// capability table gives `not`/`ne` to every property that has `eq`).
fn negate(e: Expr, clause: &str, span: Span) -> Result<Expr, ODataError> {
    if !e.no_not.is_empty() {
        return Err(ODataError::new(
            ODataErrorKind::NotExpressible,
            clause.to_owned(),
            span,
            format!(
                "Microsoft Graph cannot negate a filter on {} (not and ne apply only to \
                 properties that filter with eq)",
                e.no_not.join(", ")
            ),
        ));
    }
    Ok(Expr {
        text: format!("not({})", e.text),
        prec: Prec::Atom,
        advanced: true,
        no_not: Vec::new(),
    })
}

impl Translator {
    /// A leaf: translated at once at resource level; inside a value path
    /// kept as a [`Sub`] term until the value path closes.
    fn leaf(&self, path: &AttrPath, test: Test, span: Span) -> Result<Node, ODataError> {
        if self.inside > 0 {
            return Ok(Node::Sub(Sub::Leaf {
                path: path.clone(),
                test,
                span,
            }));
        }
        self.attribute(path, &test, span).map(Node::Expr)
    }

    /// `and` / `or`: the fold gives all [`Sub`] terms inside a value path
    /// (kept for [`Self::value_path_expr`]), all expressions outside.
    fn logical(&self, children: Vec<Node>, prec: Prec, span: Span) -> Result<Node, ODataError> {
        if self.inside > 0 {
            let subs = children
                .into_iter()
                .map(|c| match c {
                    Node::Sub(s) => Ok(s),
                    Node::Expr(_) => Err(nested_value_path(span)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Node::Sub(if prec == Prec::And {
                Sub::And(subs)
            } else {
                Sub::Or(subs)
            }));
        }
        let exprs = children
            .into_iter()
            .map(|c| match c {
                Node::Expr(e) => Ok(e),
                Node::Sub(_) => Err(nested_value_path(span)),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Node::Expr(Expr::join(exprs, prec)))
    }

    /// `path op value` / `path pr` on a resource attribute.
    fn attribute(&self, path: &AttrPath, test: &Test, span: Span) -> Result<Expr, ODataError> {
        let clause = test.clause(path);
        let at = At {
            clause: &clause,
            span,
        };
        check_co(test, &at)?;
        let mut rows = rows_for(self.kind, &PatchPath::Attribute(path.clone()));
        if rows.first().is_some_and(|r| r.path().is_template()) {
            return csa_expr(self.kind, path, test, &at);
        }
        if rows.is_empty() {
            return Err(at.not_expressible(format!("{path} has no Microsoft Graph property")));
        }
        if path.sub_attribute().is_none() && matches!(test, Test::Compare(..)) {
            // A complex attribute compares through its `value` sub-attribute.
            rows.retain(|r| {
                r.path()
                    .sub_attribute()
                    .is_none_or(|s| s.eq_ignore_ascii_case("value"))
            });
            if rows.is_empty() {
                return Err(at.not_expressible(format!(
                    "{path} is complex: compare one of its sub-attributes"
                )));
            }
        }
        let exprs = rows
            .iter()
            .map(|r| row_expr(self.kind, r, test, &at))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Expr::any_of(exprs))
    }

    /// `attr[filter]`: `type`/`primary` terms pick the rows, the rest test
    /// their properties.
    fn value_path_expr(&self, attr: &AttrPath, sub: Sub, span: Span) -> Result<Expr, ODataError> {
        let clause = format!("{attr}[...]");
        let at = At {
            clause: &clause,
            span,
        };
        let terms = match sub {
            Sub::And(children) => children,
            other => vec![other],
        };
        let mut selector = Selector::default();
        let mut rest: Vec<Sub> = Vec::new();
        for term in terms {
            let taken = match &term {
                Sub::Leaf {
                    path,
                    test: Test::Compare(op, value),
                    ..
                } => selector
                    .absorb(path, *op, value)
                    .map_err(|e| at.not_expressible(e.to_string()))?,
                _ => false,
            };
            if !taken {
                rest.push(term);
            }
        }
        if rest.iter().any(mentions_selector) {
            return Err(at.not_expressible(
                "type and primary choose the Graph property: use them as `type eq \"...\"` and \
                 `primary eq true|false` joined to the rest by `and`",
            ));
        }
        let rows_of = |sub_attribute: Option<&str>| -> Vec<&'static Mapping> {
            rows_for_filter(self.kind, attr, &selector, sub_attribute)
        };
        let described = if selector.is_empty() {
            attr.to_string()
        } else {
            format!("{attr}[{selector}]")
        };
        if rest.is_empty() {
            // `emails[type eq "work"]`: such a value exists.
            let rows = rows_of(None);
            if rows.is_empty() {
                return Err(
                    at.not_expressible(format!("{described} has no Microsoft Graph property"))
                );
            }
            let exprs = rows
                .iter()
                .map(|r| row_expr(self.kind, r, &Test::Present, &at))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Expr::any_of(exprs));
        }
        let tree = if rest.len() == 1 {
            rest.pop().unwrap_or(Sub::And(Vec::new()))
        } else {
            Sub::And(rest)
        };
        let leaves = count_leaves(&tree);
        self.sub_expr(&tree, &described, leaves, &rows_of)
    }

    fn sub_expr(
        &self,
        tree: &Sub,
        described: &str,
        leaves: usize,
        rows_of: &dyn Fn(Option<&str>) -> Vec<&'static Mapping>,
    ) -> Result<Expr, ODataError> {
        match tree {
            Sub::Leaf { path, test, span } => {
                let clause = test.clause(path);
                let at = At {
                    clause: &clause,
                    span: *span,
                };
                check_co(test, &at)?;
                if path.schema().is_some() || path.sub_attribute().is_some() {
                    return Err(at.not_expressible(format!(
                        "inside {described}, name a sub-attribute ({path} is not one)"
                    )));
                }
                let rows = rows_of(Some(path.attribute()));
                if rows.is_empty() {
                    return Err(at.not_expressible(format!(
                        "{described}.{} has no Microsoft Graph property",
                        path.attribute()
                    )));
                }
                if leaves > 1 {
                    if let Some(r) = rows
                        .iter()
                        .find(|r| r.graph_type() == GraphType::StringCollection)
                    {
                        return Err(at.not_expressible(format!(
                            "several conditions on one value of the Graph collection {} cannot be \
                             kept together (each would test any value)",
                            r.graph().path()
                        )));
                    }
                }
                let exprs = rows
                    .iter()
                    .map(|r| row_expr(self.kind, r, test, &at))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Expr::any_of(exprs))
            }
            Sub::And(c) | Sub::Or(c) => {
                let prec = if matches!(tree, Sub::And(_)) {
                    Prec::And
                } else {
                    Prec::Or
                };
                let exprs = c
                    .iter()
                    .map(|s| self.sub_expr(s, described, leaves, rows_of))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Expr::join(exprs, prec))
            }
            Sub::Not(s) => negate(
                self.sub_expr(s, described, leaves, rows_of)?,
                described,
                Span::default(),
            ),
        }
    }
}

fn mentions_selector(sub: &Sub) -> bool {
    match sub {
        Sub::Leaf { path, .. } => is_selector_attribute(path),
        Sub::And(c) | Sub::Or(c) => c.iter().any(mentions_selector),
        Sub::Not(s) => mentions_selector(s),
    }
}

fn count_leaves(sub: &Sub) -> usize {
    match sub {
        Sub::Leaf { .. } => 1,
        Sub::And(c) | Sub::Or(c) => c.iter().map(count_leaves).sum(),
        Sub::Not(s) => count_leaves(s),
    }
}

fn check_co(test: &Test, at: &At<'_>) -> Result<(), ODataError> {
    if matches!(test, Test::Compare(CompareOp::Co, _)) {
        return Err(at.not_expressible(
            "co (contains) has no OData $filter form for Microsoft Entra directory objects; \
             Graph's $search is the nearest, tokenized and only on displayName and description",
        ));
    }
    Ok(())
}

/// `users` or `groups`, for messages.
fn collection_name(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::User => "users",
        ResourceKind::Group => "groups",
    }
}

/// The capability-table row for `op` on `property`, or the refusal that
/// names what Graph does not run.
fn supported(
    kind: ResourceKind,
    property: &str,
    op: GraphFilterOp,
    at: &At<'_>,
) -> Result<Support, ODataError> {
    if let Some(support) = capability(kind, property, op) {
        return Ok(support);
    }
    let on = collection_name(kind);
    if !capability::is_filterable(kind, property) {
        return Err(at.not_expressible(format!(
            "Microsoft Graph does not support $filter on {on} by {property} at all \
             (not in its capability table)"
        )));
    }
    let more = match op {
        GraphFilterOp::EndsWith => {
            " (endsWith works only on mail, otherMails, userPrincipalName and proxyAddresses, \
             as an advanced query)"
        }
        GraphFilterOp::Not => " (not and ne apply only to properties that filter with eq)",
        _ => "",
    };
    Err(at.not_expressible(format!(
        "Microsoft Graph does not support {} on {on} {property}{more}",
        op.as_str()
    )))
}

/// The operator class and whether the operator itself always makes the
/// query advanced (`ne`).
fn op_class(op: CompareOp, at: &At<'_>) -> Result<(GraphFilterOp, bool), ODataError> {
    Ok(match op {
        CompareOp::Eq => (GraphFilterOp::Eq, false),
        CompareOp::Ne => (GraphFilterOp::Not, true),
        CompareOp::Sw => (GraphFilterOp::StartsWith, false),
        CompareOp::Ew => (GraphFilterOp::EndsWith, false),
        CompareOp::Ge | CompareOp::Le => (GraphFilterOp::GeLe, false),
        CompareOp::Gt | CompareOp::Lt => {
            return Err(at.not_expressible(format!(
                "Microsoft Graph's $filter on directory objects has no {}: its capability \
                 table lists ge and le only",
                op.as_str()
            )))
        }
        _ => {
            return Err(at.not_expressible(format!(
                "{} has no Microsoft Graph $filter form",
                op.as_str()
            )))
        }
    })
}

/// Where to look instead of filtering on a relationship: the call that
/// answers the same question from the other side.
fn relationship_hint(kind: ResourceKind, row: &Mapping, test: &Test) -> String {
    let scim = row.wire_path();
    let graph = row.graph().path();
    let id = match test {
        Test::Compare(CompareOp::Eq, CompValue::String(id)) => id.to_string(),
        _ => "{id}".to_owned(),
    };
    let answer = match (kind, graph) {
        (ResourceKind::User, "memberOf") => {
            format!("GET /groups/{id}/members lists the group's direct members")
        }
        (ResourceKind::User, "ownedObjects") => {
            format!("GET /groups/{id}/owners lists the group's owners")
        }
        (ResourceKind::User, "manager") => {
            format!("GET /users/{id}/directReports lists the users that manager manages")
        }
        (ResourceKind::Group, "members") => format!(
            "GET /users/{id}/memberOf lists the groups (and directory roles) that user is a \
             direct member of"
        ),
        (ResourceKind::Group, "owners") => format!(
            "GET /users/{id}/ownedObjects/microsoft.graph.group lists the groups that user owns"
        ),
        _ => format!("list it with GET /{}/{{id}}/{graph}", collection_name(kind)),
    };
    format!("{scim} is the Graph relationship {graph}, which $filter cannot test; {answer}")
}

/// One row's expression for `test`, as Graph's capability table allows.
fn row_expr(
    kind: ResourceKind,
    row: &Mapping,
    test: &Test,
    at: &At<'_>,
) -> Result<Expr, ODataError> {
    let scim = row.wire_path();
    let graph = row.graph().path();
    if row.direction() == Direction::Write {
        return Err(at.not_expressible(format!(
            "{scim} is write-only: Graph never returns {graph}, so $filter cannot test it"
        )));
    }
    match row.graph_type() {
        GraphType::Reference | GraphType::DirectoryObjectRelationship => {
            return Err(at.not_expressible(relationship_hint(kind, row, test)))
        }
        GraphType::CrossDomainData => {
            return Err(at.not_expressible(format!(
                "{scim} is kept in Graph's crossDomainData, which $filter cannot reach \
                 (Entra's SCIM API filters it: externalId eq \"...\")"
            )))
        }
        _ => {}
    }
    if row.graph().qualifier() == Some("only smtp: values") {
        return smtp_expr(kind, test, at);
    }
    let subject = graph.replace('.', "/");
    let collection = row.graph_type() == GraphType::StringCollection;
    let (op, value) = match test {
        Test::Present => return present(kind, &subject, collection, at),
        Test::Compare(op, value) => (*op, value),
    };
    if *value == CompValue::Null {
        return null_compare(kind, &subject, collection, op, at);
    }
    let (class, always_advanced) = op_class(op, at)?;
    if collection && op == CompareOp::Ne {
        return Err(at.not_expressible(format!(
            "ne on {scim} means \"some value differs\" in SCIM, and Graph's any() takes no ne; \
             not ({scim} eq ...) says \"no value equals\""
        )));
    }
    let support = supported(kind, &subject, class, at)?;
    let advanced = always_advanced || support == Support::Advanced;
    let lit = literal_for(row.scim_type(), value, at)?;
    if matches!(op, CompareOp::Sw | CompareOp::Ew)
        && !matches!(
            row.scim_type(),
            AttributeType::String | AttributeType::Reference
        )
    {
        return Err(at.not_expressible(format!(
            "{} applies to strings; {scim} is not one",
            op.as_str()
        )));
    }
    let test_on = |x: &str| match op {
        CompareOp::Sw => format!("startswith({x},{lit})"),
        CompareOp::Ew => format!("endswith({x},{lit})"),
        other => format!("{x} {} {lit}", other.as_str()),
    };
    let text = if collection {
        format!("{subject}/any(x:{})", test_on("x"))
    } else {
        test_on(&subject)
    };
    Ok(Expr::on(text, advanced, kind, &subject))
}

/// `pr`: `ne null` on a single value, `/$count ne 0` on a collection;
/// both are `ne`, so advanced.
fn present(
    kind: ResourceKind,
    subject: &str,
    collection: bool,
    at: &At<'_>,
) -> Result<Expr, ODataError> {
    let (class, text) = if collection {
        (GraphFilterOp::Count, format!("{subject}/$count ne 0"))
    } else {
        (GraphFilterOp::EqNull, format!("{subject} ne null"))
    };
    supported(kind, subject, class, at)?;
    Ok(Expr::on(text, true, kind, subject))
}

fn null_compare(
    kind: ResourceKind,
    subject: &str,
    collection: bool,
    op: CompareOp,
    at: &At<'_>,
) -> Result<Expr, ODataError> {
    match op {
        CompareOp::Eq => {
            let (class, text) = if collection {
                (GraphFilterOp::Count, format!("{subject}/$count eq 0"))
            } else {
                (GraphFilterOp::EqNull, format!("{subject} eq null"))
            };
            let support = supported(kind, subject, class, at)?;
            Ok(Expr::on(text, support == Support::Advanced, kind, subject))
        }
        CompareOp::Ne => present(kind, subject, collection, at),
        _ => Err(at.invalid_literal("null compares with eq and ne only")),
    }
}

/// `proxyAddresses` holding the SMTP addresses that Entra shows as work
/// emails: `smtp:` prefixed in Graph.
fn smtp_expr(kind: ResourceKind, test: &Test, at: &At<'_>) -> Result<Expr, ODataError> {
    let p = "proxyAddresses";
    let (class, text) = match test {
        Test::Present | Test::Compare(CompareOp::Ne, CompValue::Null) => (
            GraphFilterOp::StartsWith,
            format!("{p}/any(x:startswith(x,'smtp:'))"),
        ),
        Test::Compare(CompareOp::Eq, CompValue::String(s)) => (
            GraphFilterOp::Eq,
            format!("{p}/any(x:x eq {})", literal::string(&format!("smtp:{s}"))),
        ),
        Test::Compare(CompareOp::Sw, CompValue::String(s)) => (
            GraphFilterOp::StartsWith,
            format!(
                "{p}/any(x:startswith(x,{}))",
                literal::string(&format!("smtp:{s}"))
            ),
        ),
        _ => {
            return Err(at.not_expressible(
                "SMTP proxy addresses are Graph proxyAddresses values with an smtp: prefix; \
                 only eq, sw and pr can keep the prefix",
            ))
        }
    };
    let support = supported(kind, p, class, at)?;
    Ok(Expr::on(text, support == Support::Advanced, kind, p))
}

/// A Custom Security Attribute: `urn:...:CustomSecurityAttributes:{set}.{attribute}`
/// → `customSecurityAttributes/{set}/{attribute}`, as the capability
/// table's `customSecurityAttributes` rows allow (advanced).
fn csa_expr(
    kind: ResourceKind,
    path: &AttrPath,
    test: &Test,
    at: &At<'_>,
) -> Result<Expr, ODataError> {
    let (Some(_), Some(name)) = (path.schema(), path.sub_attribute()) else {
        return Err(at.not_expressible(
            "name one Custom Security Attribute: urn:...:CustomSecurityAttributes:{set}.{attribute}",
        ));
    };
    let set = path.attribute();
    if !csa::is_name(set) || !csa::is_name(name) {
        return Err(at.not_expressible(format!("{path} is not a Custom Security Attribute name")));
    }
    let property = csa::GRAPH_PROPERTY;
    let subject = format!("{property}/{set}/{name}");
    let (op, value) = match test {
        Test::Present => {
            supported(kind, property, GraphFilterOp::EqNull, at)?;
            return Ok(Expr::on(format!("{subject} ne null"), true, kind, property));
        }
        Test::Compare(op, value) => (*op, value),
    };
    let class = if *value == CompValue::Null {
        if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
            return Err(at.invalid_literal("null compares with eq and ne only"));
        }
        GraphFilterOp::EqNull
    } else {
        op_class(op, at)?.0
    };
    supported(kind, property, class, at)?;
    if op == CompareOp::Ne {
        supported(kind, property, GraphFilterOp::Not, at)?;
    }
    let lit = match value {
        CompValue::Null => "null".to_owned(),
        v => literal_for(AttributeType::Complex, v, at)?,
    };
    let text = match op {
        CompareOp::Sw => format!("startswith({subject},{lit})"),
        CompareOp::Ew => format!("endswith({subject},{lit})"),
        other => format!("{subject} {} {lit}", other.as_str()),
    };
    Ok(Expr::on(text, true, kind, property))
}

/// The OData literal for `value` compared with an attribute of `kind`.
/// `Complex` (Custom Security Attributes, typed per tenant) takes any.
fn literal_for(kind: AttributeType, value: &CompValue, at: &At<'_>) -> Result<String, ODataError> {
    match (kind, value) {
        (AttributeType::Boolean | AttributeType::Complex, CompValue::Bool(b)) => Ok(b.to_string()),
        (AttributeType::DateTime, CompValue::String(s)) => literal::datetime(s)
            .ok_or_else(|| at.invalid_literal(format!("{s:?} is not an xsd:dateTime"))),
        (AttributeType::Complex, CompValue::Number(n)) => Ok(n.to_string()),
        (
            AttributeType::String | AttributeType::Reference | AttributeType::Complex,
            CompValue::String(s),
        ) => Ok(literal::string(s)),
        (kind, _) => Err(at.invalid_literal(format!(
            "the attribute is {}; the literal does not fit it",
            type_name(kind)
        ))),
    }
}

fn type_name(kind: AttributeType) -> &'static str {
    match kind {
        AttributeType::Boolean => "a boolean",
        AttributeType::DateTime => "a dateTime (a quoted xsd:dateTime)",
        AttributeType::String | AttributeType::Reference => "a string",
        _ => "not comparable with this literal",
    }
}

impl fmt::Display for OData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.filter)
    }
}
