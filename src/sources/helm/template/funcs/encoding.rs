//! Sprig's encodings and checksums: `b64enc`, `b64dec`, `b32enc`,
//! `b32dec`, `sha1sum`, `sha256sum`, `sha512sum`, `adler32sum`. Decoding
//! errors are returned as the text, as Sprig does.

use super::super::value::Value;
use super::args::{self, exactly};
use sha2::{Digest, Sha256, Sha512};
use std::fmt::Write as _;

type R = Result<Value, String>;

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn one_string<'a>(name: &str, a: &'a [Value]) -> Result<&'a str, String> {
    exactly(name, a, 1)?;
    args::string(&a[0])
}

/// Bytes as text; invalid UTF-8 (a decoded binary) becomes U+FFFD.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

pub fn b64enc(a: &[Value]) -> R {
    let s = one_string("b64enc", a)?;
    Ok(Value::str(base64_encode(s.as_bytes())).at(a[0].at))
}

pub fn b64dec(a: &[Value]) -> R {
    let s = one_string("b64dec", a)?;
    Ok(Value::str(match base64_decode(s) {
        Ok(bytes) => text(bytes),
        Err(at) => format!("illegal base64 data at input byte {at}"),
    }))
}

pub fn b32enc(a: &[Value]) -> R {
    let s = one_string("b32enc", a)?;
    Ok(Value::str(base32_encode(s.as_bytes())).at(a[0].at))
}

pub fn b32dec(a: &[Value]) -> R {
    let s = one_string("b32dec", a)?;
    Ok(Value::str(match base32_decode(s) {
        Ok(bytes) => text(bytes),
        Err(at) => format!("illegal base32 data at input byte {at}"),
    }))
}

pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(BASE64[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `base64.StdEncoding.DecodeString`, ported from Go's `decodeQuantum`:
/// padding required, `\r` and `\n` skipped. `Err` is the offset Go reports.
fn base64_decode(s: &str) -> Result<Vec<u8>, usize> {
    let src = s.as_bytes();
    let value = |b: u8| BASE64.iter().position(|&c| c == b).map(|v| v as u32);
    let skip_newlines = |mut si: usize| {
        while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
            si += 1;
        }
        si
    };
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    loop {
        let mut quantum = [0u32; 4];
        let mut len = 4;
        let mut j = 0;
        let mut done = false;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = value(c) {
                quantum[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' || j < 2 {
                return Err(si - 1);
            }
            if j == 2 {
                si = skip_newlines(si);
                if si == src.len() {
                    return Err(src.len());
                }
                if src[si] != b'=' {
                    return Err(si - 1);
                }
                si += 1;
            }
            si = skip_newlines(si);
            if si < src.len() {
                return Err(si);
            }
            len = j;
            done = true;
            break;
        }
        let n = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3];
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..len - 1]);
        if done {
            return Ok(out);
        }
    }
}

pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut b = [0u8; 5];
        b[..chunk.len()].copy_from_slice(chunk);
        let n = b.iter().fold(0u64, |n, &x| n << 8 | x as u64);
        let symbols = (chunk.len() * 8).div_ceil(5);
        for k in 0..8 {
            if k < symbols {
                out.push(BASE32[(n >> (35 - 5 * k) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base32_decode(s: &str) -> Result<Vec<u8>, usize> {
    let symbols: Vec<(usize, u8)> = s
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b != b'\r' && *b != b'\n')
        .collect();
    if symbols.len() % 8 != 0 {
        return Err(s.len() - s.len() % 8);
    }
    let mut out = Vec::new();
    let blocks = symbols.len() / 8;
    for (index, block) in symbols.chunks(8).enumerate() {
        let mut n: u64 = 0;
        let mut data = 0;
        for (k, &(at, b)) in block.iter().enumerate() {
            if b == b'=' {
                if index + 1 != blocks
                    || block[k..].iter().any(|(_, c)| *c != b'=')
                    || !matches!(k, 2 | 4 | 5 | 7)
                {
                    return Err(at);
                }
                break;
            }
            let Some(v) = BASE32.iter().position(|&c| c == b) else {
                return Err(at);
            };
            n |= (v as u64) << (35 - 5 * k);
            data += 1;
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[3..3 + data * 5 / 8]);
    }
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

pub fn sha256sum(a: &[Value]) -> R {
    let s = one_string("sha256sum", a)?;
    Ok(Value::str(hex(&Sha256::digest(s.as_bytes()))))
}

pub fn sha512sum(a: &[Value]) -> R {
    let s = one_string("sha512sum", a)?;
    Ok(Value::str(hex(&Sha512::digest(s.as_bytes()))))
}

pub fn sha1sum(a: &[Value]) -> R {
    let s = one_string("sha1sum", a)?;
    Ok(Value::str(hex(&sha1(s.as_bytes()))))
}

pub fn adler32sum(a: &[Value]) -> R {
    let s = one_string("adler32sum", a)?;
    let (mut x, mut y) = (1u32, 0u32);
    for &b in s.as_bytes() {
        x = (x + b as u32) % 65521;
        y = (y + x) % 65521;
    }
    Ok(Value::str((y << 16 | x).to_string()))
}

/// SHA-1 (FIPS 180-4); a checksum here, not a security measure.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut message = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, &wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::find;
    use super::*;

    fn call(name: &str, arg: &str) -> String {
        match find(name).unwrap()(&[Value::str(arg)]) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    /// Expected outputs rendered by Helm v4.2.3.
    #[test]
    fn encodings_match_helm() {
        for (name, arg, want) in [
            ("b64enc", "", ""),
            ("b64enc", "a", "YQ=="),
            ("b64enc", "ab", "YWI="),
            ("b64enc", "abc", "YWJj"),
            ("b64enc", "hello world", "aGVsbG8gd29ybGQ="),
            ("b64dec", "aGVsbG8gd29ybGQ=", "hello world"),
            ("b64dec", "YQ==", "a"),
            ("b64dec", "YQ", "illegal base64 data at input byte 0"),
            ("b64dec", "Y!==", "illegal base64 data at input byte 1"),
            ("b32enc", "hello", "NBSWY3DP"),
            ("b32enc", "a", "ME======"),
            ("b32dec", "ME======", "a"),
            ("b32dec", "NBSWY3DP", "hello"),
            (
                "sha1sum",
                "hello",
                "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
            ),
            ("sha1sum", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            (
                "sha256sum",
                "hello",
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            ),
            ("adler32sum", "hello", "103547413"),
        ] {
            assert_eq!(call(name, arg), want, "{name} {arg:?}");
        }
    }

    #[test]
    fn sha1_of_a_long_input() {
        let long = "a".repeat(1000);
        assert_eq!(
            hex(&sha1(long.as_bytes())),
            "291e9a6c66994949b57ba5e650361e98fc36b1ba"
        );
    }
}
