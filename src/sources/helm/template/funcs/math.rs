//! Sprig's math: integer functions convert with `cast.ToInt64` and wrap on
//! overflow as Go does; the `…f` functions add, subtract and multiply in
//! decimal (shopspring/decimal), so `addf 0.1 0.2` is `0.3`.

use super::super::value::Value;
use super::args::{self, at_least, exactly, to_float64, to_int64};

type R = Result<Value, String>;

const DIVIDE_BY_ZERO: &str = "runtime error: integer divide by zero";

pub fn to_int(a: &[Value]) -> R {
    exactly("int", a, 1)?;
    Ok(Value::int(to_int64(&a[0])))
}

pub fn to_int64_fn(a: &[Value]) -> R {
    exactly("int64", a, 1)?;
    Ok(Value::int(to_int64(&a[0])))
}

pub fn to_float64_fn(a: &[Value]) -> R {
    exactly("float64", a, 1)?;
    Ok(Value::float(to_float64(&a[0])))
}

/// `strconv.Atoi`, errors read as 0.
pub fn atoi(a: &[Value]) -> R {
    exactly("atoi", a, 1)?;
    let s = args::string(&a[0])?;
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let ok = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    Ok(Value::int(if ok { s.parse().unwrap_or(0) } else { 0 }))
}

pub fn add1(a: &[Value]) -> R {
    exactly("add1", a, 1)?;
    Ok(Value::int(to_int64(&a[0]).wrapping_add(1)))
}

pub fn add(a: &[Value]) -> R {
    Ok(Value::int(
        a.iter().fold(0i64, |sum, v| sum.wrapping_add(to_int64(v))),
    ))
}

pub fn sub(a: &[Value]) -> R {
    exactly("sub", a, 2)?;
    Ok(Value::int(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))
}

pub fn mul(a: &[Value]) -> R {
    at_least("mul", a, 1)?;
    Ok(Value::int(
        a.iter().fold(1i64, |p, v| p.wrapping_mul(to_int64(v))),
    ))
}

pub fn div(a: &[Value]) -> R {
    exactly("div", a, 2)?;
    let d = to_int64(&a[1]);
    if d == 0 {
        return Err(DIVIDE_BY_ZERO.into());
    }
    Ok(Value::int(to_int64(&a[0]).wrapping_div(d)))
}

pub fn modulo(a: &[Value]) -> R {
    exactly("mod", a, 2)?;
    let d = to_int64(&a[1]);
    if d == 0 {
        return Err(DIVIDE_BY_ZERO.into());
    }
    Ok(Value::int(to_int64(&a[0]).wrapping_rem(d)))
}

pub fn max(a: &[Value]) -> R {
    at_least("max", a, 1)?;
    Ok(Value::int(a.iter().map(to_int64).max().unwrap_or(0)))
}

pub fn min(a: &[Value]) -> R {
    at_least("min", a, 1)?;
    Ok(Value::int(a.iter().map(to_int64).min().unwrap_or(0)))
}

pub fn maxf(a: &[Value]) -> R {
    at_least("maxf", a, 1)?;
    Ok(Value::float(
        a[1..]
            .iter()
            .map(to_float64)
            .fold(to_float64(&a[0]), f64::max),
    ))
}

pub fn minf(a: &[Value]) -> R {
    at_least("minf", a, 1)?;
    Ok(Value::float(
        a[1..]
            .iter()
            .map(to_float64)
            .fold(to_float64(&a[0]), f64::min),
    ))
}

pub fn ceil(a: &[Value]) -> R {
    exactly("ceil", a, 1)?;
    Ok(Value::float(to_float64(&a[0]).ceil()))
}

pub fn floor(a: &[Value]) -> R {
    exactly("floor", a, 1)?;
    Ok(Value::float(to_float64(&a[0]).floor()))
}

/// Sprig's `round x places [roundOn]`.
pub fn round(a: &[Value]) -> R {
    at_least("round", a, 2)?;
    let places = args::int(&a[1])? as f64;
    let round_on = a.get(2).map(to_float64).unwrap_or(0.5);
    let pow = 10f64.powf(places);
    let digit = pow * to_float64(&a[0]);
    let fraction = digit.fract();
    let rounded = if fraction >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::float(rounded / pow))
}

/// Deterministic stand-in for `randInt min max`: always `min`.
pub fn rand_int(a: &[Value]) -> R {
    exactly("randInt", a, 2)?;
    let lo = args::int(&a[0])?;
    let hi = args::int(&a[1])?;
    if hi <= lo {
        return Err("invalid argument to Intn".into());
    }
    Ok(Value::int(lo))
}

/// A decimal `mantissa × 10^exponent`, read from a float's shortest digits
/// as `decimal.NewFromFloat` reads it.
#[derive(Clone, Copy)]
struct Decimal {
    mantissa: i128,
    exponent: i32,
}

impl Decimal {
    fn from_f64(x: f64) -> Option<Decimal> {
        if !x.is_finite() {
            return None;
        }
        let sci = format!("{x:e}");
        let (m, e) = sci.split_once('e')?;
        let e: i32 = e.parse().ok()?;
        let negative = m.starts_with('-');
        let digits: String = m.chars().filter(|c| c.is_ascii_digit()).collect();
        let mut mantissa: i128 = digits.parse().ok()?;
        if negative {
            mantissa = -mantissa;
        }
        Some(Decimal {
            mantissa,
            exponent: e - (digits.len() as i32 - 1),
        })
    }

    fn to_f64(self) -> f64 {
        format!("{}e{}", self.mantissa, self.exponent)
            .parse()
            .unwrap_or(f64::NAN)
    }

    fn align(self, other: Decimal) -> Option<(i128, i128, i32)> {
        let exponent = self.exponent.min(other.exponent);
        let scale = |d: Decimal| -> Option<i128> {
            let shift = u32::try_from(d.exponent - exponent).ok()?;
            d.mantissa.checked_mul(10i128.checked_pow(shift)?)
        };
        Some((scale(self)?, scale(other)?, exponent))
    }

    fn add(self, other: Decimal) -> Option<Decimal> {
        let (a, b, exponent) = self.align(other)?;
        Some(Decimal {
            mantissa: a.checked_add(b)?,
            exponent,
        })
    }

    fn mul(self, other: Decimal) -> Option<Decimal> {
        Some(Decimal {
            mantissa: self.mantissa.checked_mul(other.mantissa)?,
            exponent: self.exponent.checked_add(other.exponent)?,
        })
    }
}

/// Folds floats in decimal, falling back to binary floating point when the
/// exact decimal would not fit.
fn decimal_fold(
    values: &[f64],
    start: f64,
    op: fn(Decimal, Decimal) -> Option<Decimal>,
    float_op: fn(f64, f64) -> f64,
) -> f64 {
    let mut exact = Decimal::from_f64(start);
    let mut approx = start;
    for &v in values {
        approx = float_op(approx, v);
        exact = exact.zip(Decimal::from_f64(v)).and_then(|(a, b)| op(a, b));
    }
    exact.map(Decimal::to_f64).unwrap_or(approx)
}

fn floats(a: &[Value]) -> Vec<f64> {
    a.iter().map(to_float64).collect()
}

pub fn addf(a: &[Value]) -> R {
    Ok(Value::float(decimal_fold(
        &floats(a),
        0.0,
        Decimal::add,
        |x, y| x + y,
    )))
}

pub fn add1f(a: &[Value]) -> R {
    exactly("add1f", a, 1)?;
    Ok(Value::float(decimal_fold(
        &[1.0],
        to_float64(&a[0]),
        Decimal::add,
        |x, y| x + y,
    )))
}

pub fn subf(a: &[Value]) -> R {
    at_least("subf", a, 1)?;
    let negated: Vec<f64> = floats(&a[1..]).into_iter().map(|x| -x).collect();
    Ok(Value::float(decimal_fold(
        &negated,
        to_float64(&a[0]),
        Decimal::add,
        |x, y| x + y,
    )))
}

pub fn mulf(a: &[Value]) -> R {
    at_least("mulf", a, 1)?;
    Ok(Value::float(decimal_fold(
        &floats(&a[1..]),
        to_float64(&a[0]),
        Decimal::mul,
        |x, y| x * y,
    )))
}

/// `divf`: decimal division to 16 places reads back as the float quotient.
pub fn divf(a: &[Value]) -> R {
    at_least("divf", a, 1)?;
    let mut q = to_float64(&a[0]);
    for d in floats(&a[1..]) {
        if d == 0.0 {
            return Err("decimal division by 0".into());
        }
        q /= d;
    }
    Ok(Value::float(q))
}

#[cfg(test)]
mod tests {
    use super::super::find;
    use super::*;

    fn s(x: &str) -> Value {
        Value::str(x)
    }
    fn i(x: i64) -> Value {
        Value::int(x)
    }
    fn f(x: f64) -> Value {
        Value::float(x)
    }
    fn call(name: &str, a: Vec<Value>) -> String {
        match find(name).unwrap()(&a) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    /// Expected outputs rendered by Helm v4.2.3.
    #[test]
    fn math_matches_helm() {
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("add", vec![i(1), f(2.9), s("3")], "6"),
            ("add", vec![], "0"),
            ("add1", vec![s("0x10")], "17"),
            ("sub", vec![i(5), f(7.0)], "-2"),
            ("mul", vec![i(2), i(3), i(4)], "24"),
            ("div", vec![i(7), i(2)], "3"),
            ("div", vec![i(-7), i(2)], "-3"),
            (
                "div",
                vec![i(1), i(0)],
                "ERR runtime error: integer divide by zero",
            ),
            ("mod", vec![i(-7), i(3)], "-1"),
            ("max", vec![i(1), s("5"), f(3.0)], "5"),
            ("min", vec![i(1), i(-5)], "-5"),
            ("biggest", vec![i(1), i(8)], "8"),
            ("maxf", vec![f(1.5), i(2)], "2"),
            ("minf", vec![f(1.5), i(2)], "1.5"),
            ("ceil", vec![f(1.2)], "2"),
            ("floor", vec![s("1.8")], "1"),
            ("round", vec![f(123.5555), i(3)], "123.556"),
            ("round", vec![f(2.5), i(0)], "3"),
            ("int", vec![s("42")], "42"),
            ("int", vec![f(3.99)], "3"),
            ("int64", vec![s("1.0")], "1"),
            ("float64", vec![s("1.5")], "1.5"),
            ("atoi", vec![s("12")], "12"),
            ("atoi", vec![s("1.2")], "0"),
            ("addf", vec![f(0.1), f(0.2)], "0.3"),
            ("add1f", vec![f(1.1)], "2.1"),
            ("subf", vec![f(1.5), f(0.3)], "1.2"),
            ("mulf", vec![f(1.1), i(3)], "3.3"),
            ("divf", vec![i(1), i(4)], "0.25"),
        ];
        for (name, a, want) in cases {
            assert_eq!(call(name, a.clone()), want, "{name} {a:?}");
        }
    }
}
