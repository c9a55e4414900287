//! Walking and folding the filter tree, for code outside this crate
//! (translators to OData or SQL, linters, rewriters) that should not
//! re-implement the traversal.
//!
//! [`Fold`] turns a filter into anything bottom-up, with hooks when a value
//! path starts and ends so leaves inside it know their parent attribute.
//!
//! ```
//! use scimkit_filter::visit::{fold, Fold};
//! use scimkit_filter::{CompValue, CompareOp, Filter, Span};
//! use scimkit_schema::AttrPath;
//!
//! /// Counts attribute expressions.
//! struct Leaves;
//!
//! impl Fold for Leaves {
//!     type Output = usize;
//!     type Error = std::convert::Infallible;
//!     fn compare(&mut self, _: &AttrPath, _: CompareOp, _: &CompValue, _: Span) -> Result<usize, Self::Error> { Ok(1) }
//!     fn present(&mut self, _: &AttrPath, _: Span) -> Result<usize, Self::Error> { Ok(1) }
//!     fn and(&mut self, c: Vec<usize>, _: Span) -> Result<usize, Self::Error> { Ok(c.iter().sum()) }
//!     fn or(&mut self, c: Vec<usize>, _: Span) -> Result<usize, Self::Error> { Ok(c.iter().sum()) }
//!     fn not(&mut self, inner: usize, _: Span) -> Result<usize, Self::Error> { Ok(inner) }
//!     fn value_path(&mut self, _: &AttrPath, inner: usize, _: Span) -> Result<usize, Self::Error> { Ok(inner) }
//! }
//!
//! let f = Filter::parse(r#"a pr and (b eq 1 or emails[type eq "work" and value pr])"#).unwrap();
//! assert_eq!(fold(&f, &mut Leaves), Ok(4));
//! ```

use scimkit_schema::AttrPath;

use crate::ast::{CompValue, CompareOp, Filter, Span};

/// A bottom-up transformation of a filter.
pub trait Fold {
    /// What each node becomes.
    type Output;
    /// Why a node cannot be transformed (e.g. "not expressible in OData").
    type Error;

    /// `path op value`.
    fn compare(
        &mut self,
        path: &AttrPath,
        op: CompareOp,
        value: &CompValue,
        span: Span,
    ) -> Result<Self::Output, Self::Error>;
    /// `path pr`.
    fn present(&mut self, path: &AttrPath, span: Span) -> Result<Self::Output, Self::Error>;
    /// `a and b ...`, operands already folded.
    fn and(&mut self, children: Vec<Self::Output>, span: Span)
        -> Result<Self::Output, Self::Error>;
    /// `a or b ...`, operands already folded.
    fn or(&mut self, children: Vec<Self::Output>, span: Span) -> Result<Self::Output, Self::Error>;
    /// `not (f)`, operand already folded.
    fn not(&mut self, inner: Self::Output, span: Span) -> Result<Self::Output, Self::Error>;
    /// `path[f]`, inner filter already folded (between the two hooks below).
    fn value_path(
        &mut self,
        path: &AttrPath,
        inner: Self::Output,
        span: Span,
    ) -> Result<Self::Output, Self::Error>;

    /// Called before the inner filter of `path[...]` is folded.
    fn enter_value_path(&mut self, path: &AttrPath) {
        let _ = path;
    }

    /// Called after the inner filter of `path[...]` is folded.
    fn exit_value_path(&mut self, path: &AttrPath) {
        let _ = path;
    }
}

/// Fold `filter` bottom-up with `folder`; the first error stops the fold.
pub fn fold<F: Fold + ?Sized>(filter: &Filter, folder: &mut F) -> Result<F::Output, F::Error> {
    match filter {
        Filter::Compare {
            path,
            op,
            value,
            span,
        } => folder.compare(path, *op, value, *span),
        Filter::Present { path, span } => folder.present(path, *span),
        Filter::And { children, span } => {
            let folded = children
                .iter()
                .map(|c| fold(c, folder))
                .collect::<Result<Vec<_>, _>>()?;
            folder.and(folded, *span)
        }
        Filter::Or { children, span } => {
            let folded = children
                .iter()
                .map(|c| fold(c, folder))
                .collect::<Result<Vec<_>, _>>()?;
            folder.or(folded, *span)
        }
        Filter::Not {
            filter: inner,
            span,
        } => {
            let inner = fold(inner, folder)?;
            folder.not(inner, *span)
        }
        Filter::ValuePath {
            path,
            filter: inner,
            span,
        } => {
            folder.enter_value_path(path);
            let inner = fold(inner, folder);
            folder.exit_value_path(path);
            folder.value_path(path, inner?, *span)
        }
    }
}

impl Filter {
    /// Visit every node, parents before children, left to right.
    pub fn walk(&self, visit: &mut impl FnMut(&Self)) {
        visit(self);
        match self {
            Self::Compare { .. } | Self::Present { .. } => {}
            Self::And { children, .. } | Self::Or { children, .. } => {
                children.iter().for_each(|c| c.walk(visit));
            }
            Self::Not { filter, .. } | Self::ValuePath { filter, .. } => filter.walk(visit),
        }
    }
}
