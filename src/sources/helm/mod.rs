//! Helm charts, rendered as `helm template` renders them (the source itself
//! is built by the Helm source work; the template engine lives in
//! [`template`]).

pub mod template;
