//! Random and key-generating functions, as fixed placeholders: a render
//! must be reproducible, and a policy check needs the shape of a secret,
//! not a secret. `randAlphaNum 8` is always `aB3dE5gH`-like text of the
//! requested length, `uuidv4` one fixed UUID, `genCA` and friends PEM
//! blocks whose body names what they stand for. Helm's output differs on
//! every run; ours differs from Helm's in these values only.

use super::super::value::{Map, Value};
use super::args::{self, at_least, exactly};
use super::encoding::base64_encode;

type R = Result<Value, String>;

const ALPHA: &str = "aBcDeFgHiJkLmNoPqRsTuVwXyZ";
const ALPHANUM: &str = "aB3dE5gH7jK9mN1pQ2sT4vW6yZ8";
const NUMERIC: &str = "1234567890";
const ASCII: &str = "!#%&()*+-/0<>@AZaz~";

/// `count` characters cycling through `pattern`; a negative count gives
/// the empty string, as Sprig swallows goutils' error.
fn cycled(name: &str, a: &[Value], pattern: &str) -> R {
    exactly(name, a, 1)?;
    let count = args::int(&a[0])?;
    if count <= 0 {
        return Ok(Value::str(""));
    }
    args::check_len(count as usize)?;
    Ok(Value::str(
        pattern
            .chars()
            .cycle()
            .take(count as usize)
            .collect::<String>(),
    ))
}

pub fn rand_alpha_num(a: &[Value]) -> R {
    cycled("randAlphaNum", a, ALPHANUM)
}

pub fn rand_alpha(a: &[Value]) -> R {
    cycled("randAlpha", a, ALPHA)
}

pub fn rand_numeric(a: &[Value]) -> R {
    cycled("randNumeric", a, NUMERIC)
}

pub fn rand_ascii(a: &[Value]) -> R {
    cycled("randAscii", a, ASCII)
}

/// `randBytes n`: base64 of `n` bytes.
pub fn rand_bytes(a: &[Value]) -> R {
    exactly("randBytes", a, 1)?;
    let count = args::int(&a[0])?.max(0) as usize;
    args::check_len(count.saturating_mul(2))?;
    let bytes: Vec<u8> = (0..count).map(|i| i as u8).collect();
    Ok(Value::str(base64_encode(&bytes)))
}

/// `shuffle s`: the text unchanged.
pub fn shuffle(a: &[Value]) -> R {
    exactly("shuffle", a, 1)?;
    Ok(Value::str(args::string(&a[0])?))
}

pub fn uuidv4(a: &[Value]) -> R {
    exactly("uuidv4", a, 0)?;
    Ok(Value::str("00000000-0000-4000-8000-000000000000"))
}

fn pem(kind: &str, what: &str) -> String {
    let body = base64_encode(format!("policy placeholder: {what}").as_bytes());
    format!("-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n")
}

fn cert_pair(what: &str) -> Value {
    let mut map = Map::new();
    map.insert("Cert".into(), Value::str(pem("CERTIFICATE", what)));
    map.insert("Key".into(), Value::str(pem("RSA PRIVATE KEY", what)));
    Value::map(map)
}

fn common_name<'a>(name: &str, a: &'a [Value], n: usize) -> Result<&'a str, String> {
    exactly(name, a, n)?;
    args::string(&a[0])
}

pub fn gen_ca(a: &[Value]) -> R {
    let cn = common_name("genCA", a, 2)?;
    Ok(cert_pair(&format!("CA {cn}")))
}

pub fn gen_ca_with_key(a: &[Value]) -> R {
    let cn = common_name("genCAWithKey", a, 3)?;
    Ok(cert_pair(&format!("CA {cn}")))
}

pub fn gen_self_signed_cert(a: &[Value]) -> R {
    let cn = common_name("genSelfSignedCert", a, 4)?;
    Ok(cert_pair(&format!("self-signed certificate {cn}")))
}

pub fn gen_self_signed_cert_with_key(a: &[Value]) -> R {
    let cn = common_name("genSelfSignedCertWithKey", a, 5)?;
    Ok(cert_pair(&format!("self-signed certificate {cn}")))
}

pub fn gen_signed_cert(a: &[Value]) -> R {
    let cn = common_name("genSignedCert", a, 5)?;
    Ok(cert_pair(&format!("signed certificate {cn}")))
}

pub fn gen_signed_cert_with_key(a: &[Value]) -> R {
    let cn = common_name("genSignedCertWithKey", a, 6)?;
    Ok(cert_pair(&format!("signed certificate {cn}")))
}

/// `buildCustomCert base64Cert base64Key`: the decoded pair, as Sprig
/// gives it back.
pub fn build_custom_cert(a: &[Value]) -> R {
    exactly("buildCustomCert", a, 2)?;
    let decode = |v: &Value| -> Result<Value, String> {
        let decoded = super::encoding::b64dec(std::slice::from_ref(v))?;
        Ok(decoded)
    };
    let mut map = Map::new();
    map.insert("Cert".into(), decode(&a[0])?);
    map.insert("Key".into(), decode(&a[1])?);
    Ok(Value::map(map))
}

pub fn gen_private_key(a: &[Value]) -> R {
    exactly("genPrivateKey", a, 1)?;
    let kind = args::string(&a[0])?;
    let block = match kind {
        "rsa" => "RSA PRIVATE KEY",
        "dsa" => "DSA PRIVATE KEY",
        "ecdsa" => "EC PRIVATE KEY",
        "ed25519" => "PRIVATE KEY",
        _ => return Ok(Value::str(format!("Unknown type {kind}"))),
    };
    Ok(Value::str(pem(block, &format!("{kind} key"))))
}

pub fn derive_password(a: &[Value]) -> R {
    exactly("derivePassword", a, 5)?;
    Ok(Value::str("PlaceholderPassword1."))
}

pub fn htpasswd(a: &[Value]) -> R {
    exactly("htpasswd", a, 2)?;
    let user = args::string(&a[0])?;
    if user.contains(':') {
        return Ok(Value::str(format!("invalid username: {user}")));
    }
    Ok(Value::str(format!(
        "{user}:$2a$10$policyplaceholderhashpolicyplaceholderhashpolicypl"
    )))
}

pub fn bcrypt(a: &[Value]) -> R {
    exactly("bcrypt", a, 1)?;
    Ok(Value::str(
        "$2a$10$policyplaceholderhashpolicyplaceholderhashpolicypl",
    ))
}

/// `encryptAES key text`: the text in base64 (no encryption), so that
/// `decryptAES` of it gives the text back within one render.
pub fn encrypt_aes(a: &[Value]) -> R {
    exactly("encryptAES", a, 2)?;
    Ok(Value::str(base64_encode(args::string(&a[1])?.as_bytes())))
}

pub fn decrypt_aes(a: &[Value]) -> R {
    exactly("decryptAES", a, 2)?;
    super::encoding::b64dec(&a[1..])
}

/// `getHostByName`: no lookup is made; the empty string, as `helm
/// template` gave in our measurements.
pub fn get_host_by_name(a: &[Value]) -> R {
    at_least("getHostByName", a, 1)?;
    Ok(Value::str(""))
}

#[cfg(test)]
mod tests {
    use super::super::find;
    use super::*;

    #[test]
    fn placeholders_are_fixed_and_shaped_like_the_real_thing() {
        let f = |name: &str, a: Vec<Value>| find(name).unwrap()(&a).unwrap();
        assert_eq!(f("randAlphaNum", vec![Value::int(5)]), Value::str("aB3dE"));
        assert_eq!(
            f("randAlphaNum", vec![Value::int(5)]),
            f("randAlphaNum", vec![Value::int(5)])
        );
        assert_eq!(f("randNumeric", vec![Value::int(12)]).to_string().len(), 12);
        assert_eq!(f("randAlpha", vec![Value::int(-1)]), Value::str(""));
        let ca = f("genCA", vec![Value::str("my-ca"), Value::int(365)]);
        let cert = ca.get("Cert").unwrap().to_string();
        assert!(cert.starts_with("-----BEGIN CERTIFICATE-----\n"), "{cert}");
        let key = f("genPrivateKey", vec![Value::str("ecdsa")]).to_string();
        assert!(key.starts_with("-----BEGIN EC PRIVATE KEY-----"));
        let secret = f("encryptAES", vec![Value::str("k"), Value::str("text")]);
        assert_eq!(
            f("decryptAES", vec![Value::str("k"), secret]),
            Value::str("text")
        );
        assert!(find("randAlphaNum").unwrap()(&[Value::int(1 << 40)]).is_err());
    }
}
