//! Sprig's and Helm's functions that depend only on their arguments
//! (`default`, `quote`, `toYaml`, `b64enc`, `semverCompare`…), as Helm v4
//! registers them. Functions that need the engine (`include`, `tpl`,
//! `lookup`, and Go's builtins `and`, `or`, `index`, `len`, `printf`…) are
//! the engine's; [`fmt`] gives it Go's printing.
//!
//! Calling convention: arguments already evaluated, in order, a pipeline's
//! value last. An `Err` is the text Go would give: for a function's own
//! error (Sprig's messages, Go runtime panics such as `runtime error:
//! integer divide by zero`, `required`'s and `fail`'s message) the engine
//! adds `error calling NAME: ` as Go does (Helm strips it again for
//! `required` and `fail`); an argument Go's template would refuse before
//! the call starts `wrong number of args`, `wrong type for value` or
//! `invalid value`, and Go prints it without that prefix.
//!
//! Go maps are references: `set`, `unset`, `merge`, `mergeOverwrite` (and
//! their `must` forms) change their first argument in place. These return
//! the changed map; [`MUTATING`] lists them so the engine can store the
//! result where that argument came from.
//!
//! Deliberate differences from Helm: `env` and `expandenv` do not exist
//! (Helm removes them too); `keys` and `values` list in key order (Go's map
//! order is random); `now` is a fixed instant and every random or key
//! generating function gives fixed placeholders (see [`dates`], [`crypto`]),
//! so rendered timestamps, passwords and certificates differ from Helm's
//! while staying reproducible.

mod args;
mod case;
pub mod crypto;
pub mod dates;
mod dicts;
mod encoding;
pub mod fmt;
mod general;
pub mod json;
mod lists;
mod math;
mod paths;
mod regex;
mod semver;
mod strings;
mod types;
pub mod yaml;

use super::value::Value;

/// A template function: its arguments, already evaluated, in order (a
/// pipeline's value last). An `Err` is the message Helm would give.
pub type Func = fn(&[Value]) -> Result<Value, String>;

/// The function of this name, if it is one of these.
pub fn find(name: &str) -> Option<Func> {
    FUNCTIONS
        .binary_search_by(|(n, _)| n.cmp(&name))
        .ok()
        .map(|i| FUNCTIONS[i].1)
}

/// Functions that change their first argument (a map) in place in Go; the
/// result is that map as changed.
pub const MUTATING: &[&str] = &[
    "merge",
    "mergeOverwrite",
    "mustMerge",
    "mustMergeOverwrite",
    "set",
    "unset",
];

/// Sorted by name (a test checks).
static FUNCTIONS: &[(&str, Func)] = &[
    ("abbrev", strings::abbrev),
    ("abbrevboth", strings::abbrevboth),
    ("add", math::add),
    ("add1", math::add1),
    ("add1f", math::add1f),
    ("addf", math::addf),
    ("adler32sum", encoding::adler32sum),
    ("ago", dates::ago),
    ("all", general::all),
    ("any", general::any),
    ("append", lists::append),
    ("atoi", math::atoi),
    ("b32dec", encoding::b32dec),
    ("b32enc", encoding::b32enc),
    ("b64dec", encoding::b64dec),
    ("b64enc", encoding::b64enc),
    ("base", paths::base),
    ("bcrypt", crypto::bcrypt),
    ("biggest", math::max),
    ("buildCustomCert", crypto::build_custom_cert),
    ("camelcase", strings::camelcase),
    ("cat", strings::cat),
    ("ceil", math::ceil),
    ("chunk", lists::chunk),
    ("clean", paths::clean),
    ("coalesce", general::coalesce),
    ("compact", lists::compact),
    ("concat", lists::concat),
    ("contains", strings::contains),
    ("date", dates::date),
    ("dateInZone", dates::date_in_zone),
    ("dateModify", dates::date_modify),
    ("date_in_zone", dates::date_in_zone),
    ("date_modify", dates::date_modify),
    ("decryptAES", crypto::decrypt_aes),
    ("deepCopy", dicts::deep_copy),
    ("deepEqual", types::deep_equal),
    ("default", general::default),
    ("derivePassword", crypto::derive_password),
    ("dict", dicts::dict),
    ("dig", dicts::dig),
    ("dir", paths::dir),
    ("div", math::div),
    ("divf", math::divf),
    ("duration", dates::duration),
    ("durationRound", dates::duration_round),
    ("empty", general::empty),
    ("encryptAES", crypto::encrypt_aes),
    ("ext", paths::ext),
    ("fail", general::fail),
    ("first", lists::first),
    ("float64", math::to_float64_fn),
    ("floor", math::floor),
    ("fromJson", json::from_json),
    ("fromJsonArray", json::from_json_array),
    ("fromToml", yaml::from_toml),
    ("fromYaml", yaml::from_yaml),
    ("fromYamlArray", yaml::from_yaml_array),
    ("genCA", crypto::gen_ca),
    ("genCAWithKey", crypto::gen_ca_with_key),
    ("genPrivateKey", crypto::gen_private_key),
    ("genSelfSignedCert", crypto::gen_self_signed_cert),
    (
        "genSelfSignedCertWithKey",
        crypto::gen_self_signed_cert_with_key,
    ),
    ("genSignedCert", crypto::gen_signed_cert),
    ("genSignedCertWithKey", crypto::gen_signed_cert_with_key),
    ("get", dicts::get),
    ("getHostByName", crypto::get_host_by_name),
    ("has", lists::has),
    ("hasKey", dicts::has_key),
    ("hasPrefix", strings::has_prefix),
    ("hasSuffix", strings::has_suffix),
    ("hello", general::hello),
    ("htmlDate", dates::html_date),
    ("htmlDateInZone", dates::html_date_in_zone),
    ("htpasswd", crypto::htpasswd),
    ("indent", strings::indent),
    ("initial", lists::initial),
    ("initials", strings::initials),
    ("int", math::to_int),
    ("int64", math::to_int64_fn),
    ("isAbs", paths::is_abs),
    ("join", strings::join),
    ("kebabcase", strings::kebabcase),
    ("keys", dicts::keys),
    ("kindIs", types::kind_is),
    ("kindOf", types::kind_of),
    ("last", lists::last),
    ("list", lists::list),
    ("lower", strings::lower),
    ("max", math::max),
    ("maxf", math::maxf),
    ("merge", dicts::merge),
    ("mergeOverwrite", dicts::merge_overwrite),
    ("min", math::min),
    ("minf", math::minf),
    ("mod", math::modulo),
    ("mul", math::mul),
    ("mulf", math::mulf),
    ("mustAppend", lists::append),
    ("mustChunk", lists::chunk),
    ("mustCompact", lists::compact),
    ("mustDateModify", dates::must_date_modify),
    ("mustDeepCopy", dicts::deep_copy),
    ("mustFirst", lists::first),
    ("mustFromJson", json::must_from_json),
    ("mustHas", lists::has),
    ("mustInitial", lists::initial),
    ("mustLast", lists::last),
    ("mustMerge", dicts::merge),
    ("mustMergeOverwrite", dicts::merge_overwrite),
    ("mustPrepend", lists::prepend),
    ("mustPush", lists::append),
    ("mustRegexFind", regex::must_find),
    ("mustRegexFindAll", regex::must_find_all),
    ("mustRegexMatch", regex::must_match),
    ("mustRegexReplaceAll", regex::must_replace_all),
    (
        "mustRegexReplaceAllLiteral",
        regex::must_replace_all_literal,
    ),
    ("mustRegexSplit", regex::must_split),
    ("mustRest", lists::rest),
    ("mustReverse", lists::reverse),
    ("mustSlice", lists::slice),
    ("mustToDate", dates::must_to_date),
    ("mustToJson", json::must_to_json),
    ("mustToPrettyJson", json::must_to_pretty_json),
    ("mustToRawJson", json::must_to_raw_json),
    ("mustToYaml", yaml::must_to_yaml),
    ("mustUniq", lists::uniq),
    ("mustWithout", lists::without),
    ("nindent", strings::nindent),
    ("nospace", strings::nospace),
    ("now", dates::now),
    ("omit", dicts::omit),
    ("osBase", paths::base),
    ("osClean", paths::clean),
    ("osDir", paths::dir),
    ("osExt", paths::ext),
    ("osIsAbs", paths::is_abs),
    ("pick", dicts::pick),
    ("pluck", dicts::pluck),
    ("plural", strings::plural),
    ("prepend", lists::prepend),
    ("push", lists::append),
    ("quote", strings::quote),
    ("randAlpha", crypto::rand_alpha),
    ("randAlphaNum", crypto::rand_alpha_num),
    ("randAscii", crypto::rand_ascii),
    ("randBytes", crypto::rand_bytes),
    ("randInt", math::rand_int),
    ("randNumeric", crypto::rand_numeric),
    ("regexFind", regex::find),
    ("regexFindAll", regex::find_all),
    ("regexMatch", regex::is_match),
    ("regexQuoteMeta", regex::quote_meta),
    ("regexReplaceAll", regex::replace_all),
    ("regexReplaceAllLiteral", regex::replace_all_literal),
    ("regexSplit", regex::split),
    ("repeat", strings::repeat),
    ("replace", strings::replace),
    ("required", general::required),
    ("rest", lists::rest),
    ("reverse", lists::reverse),
    ("round", math::round),
    ("semver", semver::semver),
    ("semverCompare", semver::semver_compare),
    ("seq", lists::seq),
    ("set", dicts::set),
    ("sha1sum", encoding::sha1sum),
    ("sha256sum", encoding::sha256sum),
    ("sha512sum", encoding::sha512sum),
    ("shuffle", crypto::shuffle),
    ("slice", lists::slice),
    ("snakecase", strings::snakecase),
    ("sortAlpha", strings::sort_alpha),
    ("split", strings::split),
    ("splitList", strings::split_list),
    ("splitn", strings::splitn),
    ("squote", strings::squote),
    ("sub", math::sub),
    ("subf", math::subf),
    ("substr", strings::substr),
    ("swapcase", strings::swapcase),
    ("ternary", general::ternary),
    ("title", strings::title),
    ("toDate", dates::to_date),
    ("toDecimal", strings::to_decimal),
    ("toJson", json::to_json),
    ("toPrettyJson", json::to_pretty_json),
    ("toRawJson", json::to_raw_json),
    ("toString", strings::to_string),
    ("toStrings", strings::to_strings),
    ("toToml", yaml::to_toml),
    ("toYaml", yaml::to_yaml),
    ("toYamlPretty", yaml::to_yaml_pretty),
    ("trim", strings::trim),
    ("trimAll", strings::trim_all),
    ("trimPrefix", strings::trim_prefix),
    ("trimSuffix", strings::trim_suffix),
    ("trimall", strings::trim_all_old),
    ("trunc", strings::trunc),
    ("tuple", lists::list),
    ("typeIs", types::type_is),
    ("typeIsLike", types::type_is_like),
    ("typeOf", types::type_of),
    ("uniq", lists::uniq),
    ("unixEpoch", dates::unix_epoch),
    ("unset", dicts::unset),
    ("until", lists::until),
    ("untilStep", lists::until_step_fn),
    ("untitle", strings::untitle),
    ("upper", strings::upper),
    ("urlJoin", paths::url_join),
    ("urlParse", paths::url_parse),
    ("uuidv4", crypto::uuidv4),
    ("values", dicts::values),
    ("without", lists::without),
    ("wrap", strings::wrap),
    ("wrapWith", strings::wrap_with_fn),
];

#[cfg(test)]
mod differential;
#[cfg(test)]
mod hostile;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_are_sorted_and_unique() {
        for pair in FUNCTIONS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
    }

    #[test]
    fn helm_removes_environment_access() {
        assert!(find("env").is_none());
        assert!(find("expandenv").is_none());
        assert!(find("quote").is_some());
    }

    #[test]
    fn mutating_functions_exist() {
        for name in MUTATING {
            assert!(find(name).is_some(), "{name}");
        }
    }
}
