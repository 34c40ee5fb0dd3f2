//! Like [`super::recorded`], for templates that call the functions of
//! [`crate::sources::helm::template::funcs`]: the engine's side of them
//! (arguments, pipelines, errors, maps changed in place) as Helm v4 did it.

/// (template, values as JSON, Helm's output or `ERR message`).
pub const CASES: &[(&str, &str, &str)] = &[
    (
        r##"{{ html .missing }} {{ js 1 2 }} {{ urlquery "a" "b" }}"##,
        r##"{}"##,
        r##"&lt;no value&gt; 1 2 ab"##,
    ),
    (
        r##"{{ print 1 2 "a" "b" 3 nil }}|{{ println 1 "a" }}|{{ printf "%v %d %s" 1 .n .missing }}"##,
        r##"{"n":2}"##,
        r##"1 2ab3 <nil>|1 a
|1 %!d(float64=2) %!s(<nil>)"##,
    ),
    (
        r##"{{ eq .l .l }}"##,
        r##"{"l":[1]}"##,
        r##"ERR template: t:1:3: executing "t" at <eq .l .l>: error calling eq: non-comparable type [%!s(float64=1)]: []interface {}"##,
    ),
    (
        r##"{{ eq .l .m }}"##,
        r##"{"l":[1],"m":{}}"##,
        r##"ERR template: t:1:3: executing "t" at <eq .l .m>: error calling eq: non-comparable types [%!s(float64=1)]: []interface {}, map[string]interface {}: map[]"##,
    ),
    (
        r##"{{ .x | default "d" | quote }} {{ .y | default "d" }}"##,
        r##"{"y":"set"}"##,
        r##""d" set"##,
    ),
    (
        r##"{{ toYaml .m | nindent 2 }}"##,
        r##"{"m":{"b":[1,2],"a":"x"}}"##,
        r##"
  a: x
  b:
  - 1
  - 2"##,
    ),
    (
        r##"{{ slice "abc" 1 }}"##,
        r##"{}"##,
        r##"ERR template: t:1:3: executing "t" at <slice "abc" 1>: error calling slice: list should be type of slice or array but string"##,
    ),
    (r##"{{ slice .l 1 }}"##, r##"{"l":[1,2,3]}"##, r##"[2 3]"##),
    (r##"{{ printf "%s" }}"##, r##"{}"##, r##"%!s(MISSING)"##),
    (
        r##"{{ printf 1 }}"##,
        r##"{}"##,
        r##"ERR t:1:10
  executing "t" at <1>:
    expected string; found 1"##,
    ),
    (r##"{{ add 1 2 | eq 3 }}"##, r##"{}"##, r##"true"##),
    (
        r##"{{ len (list 1 2) }} {{ index (dict "a" 1) "a" }} {{ (dict "a" (dict "b" 2)).a.b }}"##,
        r##"{}"##,
        r##"2 1 2"##,
    ),
    (
        r##"{{ $d := dict }}{{ $_ := set $d "k" "v" }}{{ $d.k }}"##,
        r##"{}"##,
        r##"v"##,
    ),
    (
        r##"{{ trunc 3 "abcdef" }} {{ "abcdef" | trunc 3 }}"##,
        r##"{}"##,
        r##"abc abc"##,
    ),
    (
        r##"{{ range $k, $v := dict "b" 1 "a" 2 }}{{ $k }}{{ $v }}{{ end }}"##,
        r##"{}"##,
        r##"a2b1"##,
    ),
    (
        r##"{{ range until 3 }}{{ . }}{{ end }}"##,
        r##"{}"##,
        r##"012"##,
    ),
    (
        r##"{{ quote .missing }}|{{ quote nil }}|{{ squote .n }}"##,
        r##"{"n":1.5}"##,
        r##"||'1.5'"##,
    ),
    (
        r##"{{ upper .s | lower }}"##,
        r##"{"s":"MiX"}"##,
        r##"mix"##,
    ),
    (
        r##"{{ upper .missing }}"##,
        r##"{}"##,
        r##"ERR t:1:9
  executing "t" at <.missing>:
    wrong type for value; expected string; got interface {}"##,
    ),
    (
        r##"{{ upper 1 }}"##,
        r##"{}"##,
        r##"ERR t:1:9
  executing "t" at <1>:
    expected string; found 1"##,
    ),
    (
        r##"{{ trunc "a" "b" }}"##,
        r##"{}"##,
        r##"ERR t:1:9
  executing "t" at <"a">:
    expected integer; found "a""##,
    ),
    (
        r##"{{ default }}"##,
        r##"{}"##,
        r##"ERR t:1:3
  executing "t" at <default>:
    wrong number of args for default: want at least 1 got 0"##,
    ),
    (
        r##"{{ empty .x }} {{ empty .l }} {{ coalesce .x .y "z" }}"##,
        r##"{"l":[]}"##,
        r##"true true z"##,
    ),
    (
        r##"{{ if and .a (not .b) }}yes{{ end }}"##,
        r##"{"a":1}"##,
        r##"yes"##,
    ),
    (
        r##"{{ tpl (toYaml .v) . }}"##,
        r##"{"v":{"k":"{{ .name }}"},"name":"n"}"##,
        r##"k: 'n'"##,
    ),
    (
        r##"{{ semverCompare ">=1.20" "1.25.0" }}"##,
        r##"{}"##,
        r##"true"##,
    ),
    (
        r##"{{ int .n }} {{ int64 .n }} {{ float64 3 }} {{ .n | int | add 1 }}"##,
        r##"{"n":3}"##,
        r##"3 3 3 4"##,
    ),
    (r##"{{ eq (int .n) 3 }}"##, r##"{"n":3}"##, r##"true"##),
    (
        r##"{{ hasKey .m "a" }} {{ keys .m | sortAlpha }}"##,
        r##"{"m":{"b":1,"a":2}}"##,
        r##"true [a b]"##,
    ),
    (
        r##"{{ fail "x" | quote }}"##,
        r##"{}"##,
        r##"ERR execution error at (t:1:3): x"##,
    ),
    (
        r##"{{ required "r" .missing | quote }}"##,
        r##"{}"##,
        r##"ERR execution error at (t:1:3): r"##,
    ),
    (
        r##"{{ typeOf .n }} {{ typeOf 1 }} {{ typeOf .l }} {{ typeOf .missing }} {{ kindOf .m }}"##,
        r##"{"n":1,"l":[],"m":{}}"##,
        r##"float64 int []interface {} <nil> map"##,
    ),
    (
        r##"{{ $x := list }}{{ range .l }}{{ $x = append $x . }}{{ end }}{{ $x }}"##,
        r##"{"l":[1,2]}"##,
        r##"[1 2]"##,
    ),
    (
        r##"{{ nospace " a b " }}{{ .m.a }}{{ mustToJson .m }}"##,
        r##"{"m":{"a":"<&>"}}"##,
        r##"ab<&>{"a":"\u003c\u0026\u003e"}"##,
    ),
    (
        r##"{{ get .m "a" }}|{{ get .m "zz" }}|{{ pluck "a" .m .m }}"##,
        r##"{"m":{"a":1}}"##,
        r##"1||[1 1]"##,
    ),
    (
        r##"{{ b64enc "hi" }} {{ sha256sum "x" | trunc 8 }}"##,
        r##"{}"##,
        r##"aGk= 2d711642"##,
    ),
    (
        r##"{{ lookup "v1" "Secret" "ns" "n" }}"##,
        r##"{}"##,
        r##"map[]"##,
    ),
    (
        r##"{{ .x.y | default "d" }}"##,
        r##"{}"##,
        r##"ERR t:1:5
  executing "t" at <.x.y>:
    nil pointer evaluating interface {}.y"##,
    ),
    (
        r##"{{ default "d" .x.y }}"##,
        r##"{}"##,
        r##"ERR t:1:17
  executing "t" at <.x.y>:
    nil pointer evaluating interface {}.y"##,
    ),
    (r##"{{ ternary "a" "b" true }}"##, r##"{}"##, r##"a"##),
    (
        r##"{{ $v := .m }}{{ $_ := set .m "k" 1 }}{{ $v.k }} {{ .m.k }}"##,
        r##"{"m":{}}"##,
        r##"1 1"##,
    ),
    (
        r##"{{ $_ := set .m.a "k" 1 }}{{ toYaml .m }}"##,
        r##"{"m":{"a":{"x":2}}}"##,
        r##"a:
  k: 1
  x: 2"##,
    ),
    (
        r##"{{ range .l }}{{ $_ := set . "seen" true }}{{ end }}{{ toJson .l }}"##,
        r##"{"l":[{"a":1},{"b":2}]}"##,
        r##"[{"a":1,"seen":true},{"b":2,"seen":true}]"##,
    ),
    (
        r##"{{ $d := dict "a" (dict "b" 1) }}{{ $inner := $d.a }}{{ $_ := set $inner "c" 2 }}{{ toJson $d }}"##,
        r##"{}"##,
        r##"{"a":{"b":1,"c":2}}"##,
    ),
    (
        r##"{{ $d := dict }}{{ $_ := merge $d (dict "a" 1) (dict "a" 2 "b" 3) }}{{ toJson $d }}"##,
        r##"{}"##,
        r##"{"a":1,"b":3}"##,
    ),
    (
        r##"{{ $d := dict "a" 1 }}{{ $_ := mergeOverwrite $d (dict "a" 2) }}{{ $d.a }}"##,
        r##"{}"##,
        r##"2"##,
    ),
    (
        r##"{{ $d := dict "a" 1 "b" 2 }}{{ $_ := unset $d "a" }}{{ toJson $d }}"##,
        r##"{}"##,
        r##"{"b":2}"##,
    ),
    (
        r##"{{ $x := set (dict) "a" 1 }}{{ toJson $x }}"##,
        r##"{}"##,
        r##"{"a":1}"##,
    ),
    (
        r##"{{ with .m }}{{ $_ := set . "w" 1 }}{{ end }}{{ .m.w }}"##,
        r##"{"m":{}}"##,
        r##""##,
    ),
    (
        r##"{{ $l := list (dict) }}{{ $_ := set (index $l 0) "z" 1 }}{{ toJson $l }}"##,
        r##"{}"##,
        r##"[{"z":1}]"##,
    ),
];
