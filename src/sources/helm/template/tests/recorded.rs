//! Templates and what real Helm made of them: each case was rendered by
//! Helm v4 (through helm-python-sdk 0.2.2, Go 1.24's `text/template`) as
//! `{{ define "t" }}CASE{{ end }}` called with the values as dot, and its
//! output or error recorded here, locations rewritten to template `t`
//! (Helm's first-line columns less the 16 bytes of the `define`).
//! `ERR` marks an error message.

/// (template, values as JSON, Helm's output or `ERR message`).
pub const CASES: &[(&str, &str, &str)] = &[
    (r##"plain text"##, r##"{}"##, r##"plain text"##),
    (r##"a {{- 1 -}} b"##, r##"{}"##, r##"a1b"##),
    (
        r##"a
  {{- "x" }}
  b"##,
        r##"{}"##,
        r##"ax
  b"##,
    ),
    (
        r##"a {{- /* note */ -}}
 b"##,
        r##"{}"##,
        r##"ab"##,
    ),
    (
        r##"{{/* a
multiline comment */}}x"##,
        r##"{}"##,
        r##"x"##,
    ),
    (
        r##"{{ .a }}-{{ .b.c }}"##,
        r##"{"a":"x","b":{"c":"y"}}"##,
        r##"x-y"##,
    ),
    (
        r##"{{ "a\tb" }}{{ `raw\n` }}{{ 'a' }}"##,
        r##"{}"##,
        r##"a	braw\n97"##,
    ),
    (
        r##"{{ 0x1F }} {{ 1_000 }} {{ 1e3 }} {{ -2.5 }} {{ 017 }} {{ 0o17 }} {{ 0b11 }} {{ 1.0 }} {{ 0x10p1 }}"##,
        r##"{}"##,
        r##"31 1000 1000 -2.5 15 15 3 1 32"##,
    ),
    (r##"{{ true }} {{ false }}"##, r##"{}"##, r##"true false"##),
    (
        r##"{{ (.a) }}{{ (.m).k }}"##,
        r##"{"a":"x","m":{"k":"v"}}"##,
        r##"xv"##,
    ),
    (
        r##"{{ .n }} {{ .f }} {{ .big }} {{ .small }} {{ .neg }}"##,
        r##"{"n":3,"f":1.5,"big":1000000,"small":0.00001,"neg":-7}"##,
        r##"3 1.5 1e+06 1e-05 -7"##,
    ),
    (
        r##"{{ .m }}"##,
        r##"{"m":{"b":2,"a":"x"}}"##,
        r##"map[a:x b:2]"##,
    ),
    (
        r##"{{ .l }}"##,
        r##"{"l":["a",1,null,true,{"k":[1]}]}"##,
        r##"[a 1 <nil> true map[k:[1]]]"##,
    ),
    (
        r##"[{{ .missing }}][{{ .nul }}]"##,
        r##"{"nul":null}"##,
        r##"[][]"##,
    ),
    (r##"{{ . }}"##, r##"{"a":1}"##, r##"map[a:1]"##),
    (
        r##"{{ .a.b }}"##,
        r##"{}"##,
        r##"ERR t:1:5
  executing "t" at <.a.b>:
    nil pointer evaluating interface {}.b"##,
    ),
    (
        r##"{{ .a.b }}"##,
        r##"{"a":"s"}"##,
        r##"ERR t:1:5
  executing "t" at <.a.b>:
    can't evaluate field b in type interface {}"##,
    ),
    (
        r##"{{ .a.b.c }}"##,
        r##"{"a":{}}"##,
        r##"ERR t:1:5
  executing "t" at <.a.b.c>:
    nil pointer evaluating interface {}.c"##,
    ),
    (
        r##"{{ with .a }}{{ .b }}{{ end }}"##,
        r##"{"a":"s"}"##,
        r##"ERR t:1:16
  executing "t" at <.b>:
    can't evaluate field b in type string"##,
    ),
    (
        r##"{{ with .a }}{{ .b }}{{ end }}"##,
        r##"{"a":1}"##,
        r##"ERR t:1:16
  executing "t" at <.b>:
    can't evaluate field b in type float64"##,
    ),
    (
        r##"{{ $x := .missing }}[{{ $x.b }}]"##,
        r##"{}"##,
        r##"[]"##,
    ),
    (
        r##"{{ $x := .a }}[{{ $x.b.c }}]"##,
        r##"{"a":{}}"##,
        r##"ERR t:1:20
  executing "t" at <$x.b.c>:
    nil pointer evaluating interface {}.c"##,
    ),
    (r##"[{{ (.missing).b }}]"##, r##"{}"##, r##"[]"##),
    (
        r##"{{ range .l }}{{ .a }}{{ end }}"##,
        r##"{"l":[null]}"##,
        r##"ERR t:1:17
  executing "t" at <.a>:
    nil pointer evaluating interface {}.a"##,
    ),
    (
        r##"{{ range .l }}{{ .a }}{{ end }}"##,
        r##"{"l":["s"]}"##,
        r##"ERR t:1:17
  executing "t" at <.a>:
    can't evaluate field a in type interface {}"##,
    ),
    (
        r##"{{ range $v := .l }}{{ $v.a }}{{ end }}"##,
        r##"{"l":[null]}"##,
        r##"ERR t:1:25
  executing "t" at <$v.a>:
    nil pointer evaluating interface {}.a"##,
    ),
    (
        r##"x
  {{ .a.b }}"##,
        r##"{}"##,
        r##"ERR t:2:7
  executing "t" at <.a.b>:
    nil pointer evaluating interface {}.b"##,
    ),
    (
        r##"{{ .a "arg" }}"##,
        r##"{"a":{}}"##,
        r##"ERR t:1:3
  executing "t" at <.a>:
    a is not a method but has arguments"##,
    ),
    (
        r##"{{ .a | .b }}"##,
        r##"{"a":1,"b":{}}"##,
        r##"ERR t:1:8
  executing "t" at <.b>:
    b is not a method but has arguments"##,
    ),
    (
        r##"{{ nil }}"##,
        r##"{}"##,
        r##"ERR t:1:3
  executing "t" at <nil>:
    nil is not a command"##,
    ),
    (
        r##"{{ 1 2 }}"##,
        r##"{}"##,
        r##"ERR t:1:3
  executing "t" at <1>:
    can't give argument to non-function 1"##,
    ),
    (
        r##"{{ $x := 1 }}{{ $x 2 }}"##,
        r##"{}"##,
        r##"ERR t:1:16
  executing "t" at <$x>:
    can't give argument to non-function $x"##,
    ),
    (
        r##"{{ template "nope" }}"##,
        r##"{}"##,
        r##"ERR t:1:12
  executing "t" at <{{template "nope"}}>:
    template "nope" not defined"##,
    ),
    (
        r##"{{ template "nope" .a }}"##,
        r##"{}"##,
        r##"ERR t:1:12
  executing "t" at <{{template "nope" .a}}>:
    template "nope" not defined"##,
    ),
    (
        r##"{{ $x := 1 }}{{ $x = 2 }}{{ $x }}"##,
        r##"{}"##,
        r##"2"##,
    ),
    (
        r##"{{ $x := 1 }}{{ if true }}{{ $x = 3 }}{{ $y := 4 }}{{ end }}{{ $x }}"##,
        r##"{}"##,
        r##"3"##,
    ),
    (
        r##"{{ with $x := .a }}{{ $x }}{{ . }}{{ end }}"##,
        r##"{"a":"v"}"##,
        r##"vv"##,
    ),
    (
        r##"{{ range .l }}{{ $.top }}{{ end }}"##,
        r##"{"l":[1,2],"top":"T"}"##,
        r##"TT"##,
    ),
    (
        r##"{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}"##,
        r##"{"b":1}"##,
        r##"B"##,
    ),
    (
        r##"{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}"##,
        r##"{}"##,
        r##"C"##,
    ),
    (
        r##"{{ if "" }}x{{ end }}{{ if 0 }}x{{ end }}{{ if .e }}x{{ end }}{{ if .z }}x{{ end }}"##,
        r##"{"e":{},"z":0}"##,
        r##""##,
    ),
    (
        r##"{{ with .a }}{{ . }}{{ else with .b }}b{{ . }}{{ else }}none{{ end }}"##,
        r##"{"b":2}"##,
        r##"b2"##,
    ),
    (
        r##"{{ with .a }}{{ . }}{{ else }}none{{ end }}"##,
        r##"{}"##,
        r##"none"##,
    ),
    (
        r##"{{ range $i, $v := .l }}{{ $i }}={{ $v }},{{ end }}"##,
        r##"{"l":["a","b"]}"##,
        r##"0=a,1=b,"##,
    ),
    (
        r##"{{ range $k, $v := .m }}{{ $k }}={{ $v }},{{ end }}"##,
        r##"{"m":{"b":1,"a":2,"B":3}}"##,
        r##"B=3,a=2,b=1,"##,
    ),
    (
        r##"{{ range $v := .l }}{{ $v }}{{ end }}"##,
        r##"{"l":["a","b"]}"##,
        r##"ab"##,
    ),
    (r##"{{ range 3 }}{{ . }}{{ end }}"##, r##"{}"##, r##"012"##),
    (
        r##"{{ range $i := 2 }}{{ $i }}{{ end }}"##,
        r##"{}"##,
        r##"01"##,
    ),
    (
        r##"{{ range 0 }}x{{ else }}none{{ end }}"##,
        r##"{}"##,
        r##"none"##,
    ),
    (
        r##"{{ range -2 }}x{{ else }}none{{ end }}"##,
        r##"{}"##,
        r##"none"##,
    ),
    (
        r##"{{ range .n }}{{ . }}{{ end }}"##,
        r##"{"n":3}"##,
        r##"ERR t:1:9
  executing "t" at <.n>:
    range can't iterate over 3"##,
    ),
    (
        r##"{{ range .s }}{{ . }}{{ end }}"##,
        r##"{"s":"ab"}"##,
        r##"ERR t:1:9
  executing "t" at <.s>:
    range can't iterate over ab"##,
    ),
    (
        r##"{{ range $i, $v := 3 }}{{ . }}{{ end }}"##,
        r##"{}"##,
        r##"ERR t:1:19
  executing "t" at <3>:
    can't use 3 to iterate over more than one variable"##,
    ),
    (
        r##"{{ range .e }}x{{ else }}empty{{ end }}{{ range .missing }}x{{ else }}!{{ end }}"##,
        r##"{"e":[]}"##,
        r##"empty!"##,
    ),
    (
        r##"{{ range .l }}{{ if eq . "b" }}{{ continue }}{{ end }}{{ if eq . "d" }}{{ break }}{{ end }}{{ . }}{{ end }}"##,
        r##"{"l":["a","b","c","d","e"]}"##,
        r##"ac"##,
    ),
    (
        r##"{{ range $x := .l }}{{ range $x }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }};{{ end }}"##,
        r##"{"l":[[1,2,3],[4]]}"##,
        r##"1;4;"##,
    ),
    (
        r##"{{ range .l }}{{ range . }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }};{{ end }}"##,
        r##"{"l":[[1,2,3],[4]]}"##,
        r##"ERR template: t:1:33: executing "t" at <eq . 2>: error calling eq: incompatible types for comparison: float64 and int"##,
    ),
    (
        r##"{{ range $i, $v := .l }}{{ with $v }}{{ if eq . "b" }}{{ break }}{{ end }}{{ end }}{{ $i }}{{ end }}"##,
        r##"{"l":["a","b","c"]}"##,
        r##"0"##,
    ),
    (
        r##"{{ block "b" .v }}<{{ . }}>{{ end }}"##,
        r##"{"v":1}"##,
        r##"<1>"##,
    ),
    (
        r##"{{ and 1 0 2 }} {{ and 1 2 }} {{ or 0 "" "x" }} [{{ or 0 "" }}]"##,
        r##"{}"##,
        r##"0 2 x []"##,
    ),
    (
        r##"{{ or true (index nil 1) }} {{ and false (index nil 1) }}"##,
        r##"{}"##,
        r##"true false"##,
    ),
    (
        r##"{{ .a | and 1 }} {{ not .a }} {{ not 0 }} {{ .a | or 0 }}"##,
        r##"{"a":"v"}"##,
        r##"v false true v"##,
    ),
    (
        r##"{{ and }}"##,
        r##"{}"##,
        r##"ERR t:1:3
  executing "t" at <and>:
    wrong number of args for and: want at least 1 got 0"##,
    ),
    (
        r##"{{ eq .n 1.0 }} {{ eq .s "x" "y" }} {{ ne .s "y" }} {{ eq .missing nil }} {{ eq nil .missing }}"##,
        r##"{"n":1,"s":"y"}"##,
        r##"true true false true true"##,
    ),
    (
        r##"{{ eq .n 1 }}"##,
        r##"{"n":1}"##,
        r##"ERR template: t:1:3: executing "t" at <eq .n 1>: error calling eq: incompatible types for comparison: float64 and int"##,
    ),
    (
        r##"{{ eq .b true }} {{ eq .b 1 }}"##,
        r##"{"b":true}"##,
        r##"ERR template: t:1:20: executing "t" at <eq .b 1>: error calling eq: incompatible types for comparison: bool and int"##,
    ),
    (
        r##"{{ eq 1 }}"##,
        r##"{}"##,
        r##"ERR template: t:1:3: executing "t" at <eq 1>: error calling eq: missing argument for comparison"##,
    ),
    (
        r##"{{ eq .l nil }} {{ eq .m .missing }}"##,
        r##"{"l":[1],"m":{}}"##,
        r##"false false"##,
    ),
    (
        r##"{{ ne 1 2 3 }}"##,
        r##"{}"##,
        r##"ERR t:1:3
  executing "t" at <ne>:
    wrong number of args for ne: want 2 got 3"##,
    ),
    (
        r##"{{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.5 }} {{ lt .x .y }}"##,
        r##"{"x":1,"y":2}"##,
        r##"true true true false true"##,
    ),
    (
        r##"{{ lt 1 2.5 }}"##,
        r##"{}"##,
        r##"ERR template: t:1:3: executing "t" at <lt 1 2.5>: error calling lt: incompatible types for comparison: int and float64"##,
    ),
    (
        r##"{{ lt .missing 2 }}"##,
        r##"{}"##,
        r##"ERR template: t:1:3: executing "t" at <lt .missing 2>: error calling lt: invalid type for comparison"##,
    ),
    (
        r##"{{ lt true false }}"##,
        r##"{}"##,
        r##"ERR template: t:1:3: executing "t" at <lt true false>: error calling lt: invalid type for comparison"##,
    ),
    (
        r##"{{ gt .l 1 }}"##,
        r##"{"l":[]}"##,
        r##"ERR template: t:1:3: executing "t" at <gt .l 1>: error calling gt: invalid type for comparison"##,
    ),
    (
        r##"{{ len .l }} {{ len .m }} {{ len "héllo" }}"##,
        r##"{"l":[1,2],"m":{"a":1}}"##,
        r##"2 1 6"##,
    ),
    (
        r##"{{ len .missing }}"##,
        r##"{}"##,
        r##"ERR template: t:1:3: executing "t" at <len .missing>: error calling len: len of nil pointer"##,
    ),
    (
        r##"{{ len 3 }}"##,
        r##"{}"##,
        r##"ERR template: t:1:3: executing "t" at <len 3>: error calling len: len of type int"##,
    ),
    (
        r##"{{ index .m "a" 1 }} [{{ index .m "zz" }}] {{ index .l }}"##,
        r##"{"m":{"a":["x","y"]},"l":[1,2,3]}"##,
        r##"y [] [1 2 3]"##,
    ),
    (
        r##"{{ index .l 5 }}"##,
        r##"{"l":[1]}"##,
        r##"ERR template: t:1:3: executing "t" at <index .l 5>: error calling index: index out of range: 5"##,
    ),
    (
        r##"{{ index .l -1 }}"##,
        r##"{"l":[1]}"##,
        r##"ERR template: t:1:3: executing "t" at <index .l -1>: error calling index: index out of range: -1"##,
    ),
    (
        r##"{{ index .l 1.0 }}"##,
        r##"{"l":[1]}"##,
        r##"ERR template: t:1:3: executing "t" at <index .l 1.0>: error calling index: cannot index slice/array with type float64"##,
    ),
    (
        r##"{{ index .l nil }}"##,
        r##"{"l":[1]}"##,
        r##"ERR template: t:1:3: executing "t" at <index .l nil>: error calling index: cannot index slice/array with nil"##,
    ),
    (
        r##"{{ index .m 1 }}"##,
        r##"{"m":{}}"##,
        r##"ERR template: t:1:3: executing "t" at <index .m 1>: error calling index: value has type int; should be string"##,
    ),
    (
        r##"{{ index .m nil }}"##,
        r##"{"m":{}}"##,
        r##"ERR template: t:1:3: executing "t" at <index .m nil>: error calling index: value is nil; should be of type string"##,
    ),
    (
        r##"{{ index .m "x" "y" }}"##,
        r##"{"m":{}}"##,
        r##"ERR template: t:1:3: executing "t" at <index .m "x" "y">: error calling index: index of nil pointer"##,
    ),
    (r##"{{ index "abc" 1 }}"##, r##"{}"##, r##"98"##),
    (
        r##"{{ index 3 1 }}"##,
        r##"{}"##,
        r##"ERR template: t:1:3: executing "t" at <index 3 1>: error calling index: can't index item of type int"##,
    ),
    (
        r##"{{ index nil 1 }}"##,
        r##"{}"##,
        r##"ERR template: t:1:3: executing "t" at <index nil 1>: error calling index: index of untyped nil"##,
    ),
    (
        r##"{{ html "<a&b>" }} {{ js "it's <x>=" }} {{ urlquery "a b/é" }}"##,
        r##"{}"##,
        r##"&lt;a&amp;b&gt; it\'s \u003Cx\u003E\u003D a+b%2F%C3%A9"##,
    ),
    (
        r##"{{ html .missing }} {{ urlquery "a" "b" }}"##,
        r##"{}"##,
        r##"&lt;no value&gt; ab"##,
    ),
    (
        r##"{{ js "\u2028é\u0001" }}"##,
        r##"{}"##,
        r##"\u2028é\u0001"##,
    ),
    (
        r##"{{ lookup "v1" "Secret" "default" "x" | len }}"##,
        r##"{}"##,
        r##"0"##,
    ),
    (
        r##"{{ lookup "v1" }}"##,
        r##"{}"##,
        r##"ERR t:1:3
  executing "t" at <lookup>:
    wrong number of args for lookup: want 4 got 1"##,
    ),
    (
        r##"{{ not }}"##,
        r##"{}"##,
        r##"ERR t:1:3
  executing "t" at <not>:
    wrong number of args for not: want 1 got 0"##,
    ),
    (
        r##"{{ not 1 2 }}"##,
        r##"{}"##,
        r##"ERR t:1:3
  executing "t" at <not>:
    wrong number of args for not: want 1 got 2"##,
    ),
    (
        r##"{{ tpl "{{ .a }}-{{ .b }}" . }}"##,
        r##"{"a":"x","b":1}"##,
        r##"x-1"##,
    ),
    (
        r##"{{ tpl .t . }}"##,
        r##"{"t":"{{ .name }}!","name":"n"}"##,
        r##"n!"##,
    ),
    (
        r##"{{ tpl "{{ define \"in\" }}I{{ end }}{{ include \"in\" . }}" . }}"##,
        r##"{}"##,
        r##"I"##,
    ),
    (
        r##"{{ tpl "{{ define \"in\" }}I{{ end }}" . }}{{ include "in" . }}"##,
        r##"{}"##,
        r##"ERR t:1:46
  executing "t" at <include "in" .>:
    error calling include:
template: no template "in" associated with template "gotpl""##,
    ),
    (
        r##"{{ tpl "{{ .a.b }}" . }}"##,
        r##"{}"##,
        r##"ERR template: t:1:3: executing "t" at <tpl "{{ .a.b }}" .>: error calling tpl: error during tpl function execution for "{{ .a.b }}": template: gotpl:1:5: executing "gotpl" at <.a.b>: nil pointer evaluating interface {}.b"##,
    ),
    (
        r##"{{ tpl "{{ .x" . }}"##,
        r##"{}"##,
        r##"ERR template: t:1:3: executing "t" at <tpl "{{ .x" .>: error calling tpl: cannot parse template "{{ .x": template: gotpl:1: unclosed action"##,
    ),
    (r##"{{ tpl "{{ .missing }}" . }}"##, r##"{}"##, r##""##),
    (
        r##"{{ tpl 1 . }}"##,
        r##"{}"##,
        r##"ERR t:1:7
  executing "t" at <1>:
    expected string; found 1"##,
    ),
    (
        r##"{{ tpl "x" }}"##,
        r##"{}"##,
        r##"ERR t:1:3
  executing "t" at <tpl>:
    wrong number of args for tpl: want 2 got 1"##,
    ),
    (
        r##"{{ include "nope" . }}"##,
        r##"{}"##,
        r##"ERR t:1:3
  executing "t" at <include "nope" .>:
    error calling include:
template: no template "nope" associated with template "gotpl""##,
    ),
    (
        r##"{{ include 1 . }}"##,
        r##"{}"##,
        r##"ERR t:1:11
  executing "t" at <1>:
    expected string; found 1"##,
    ),
    (
        r##"x
  {{ required "set image.tag" .tag }}"##,
        r##"{}"##,
        r##"ERR execution error at (t:2:5): set image.tag"##,
    ),
    (
        r##"{{ .tag | required "need tag" }}"##,
        r##"{"tag":""}"##,
        r##"ERR execution error at (t:1:10): need tag"##,
    ),
    (
        r##"{{ required "ok" .v }}"##,
        r##"{"v":"set"}"##,
        r##"set"##,
    ),
    (
        r##"{{ tpl "{{ fail \"deep\" }}" . }}"##,
        r##"{}"##,
        r##"ERR execution error at (t:1:3): deep"##,
    ),
    (
        r##"{{ required "only one" }}"##,
        r##"{}"##,
        r##"ERR t:1:3
  executing "t" at <required>:
    wrong number of args for required: want 2 got 1"##,
    ),
    (
        r##"{{ fail "multi\nline" }}"##,
        r##"{}"##,
        r##"ERR execution error at (t:1:3): multi
line"##,
    ),
    (
        r##"{{ call .x }}"##,
        r##"{"x":1}"##,
        r##"ERR template: t:1:3: executing "t" at <call .x>: error calling call: non-function .x of type float64"##,
    ),
    (
        r##"{{ call .missing }}"##,
        r##"{}"##,
        r##"ERR template: t:1:3: executing "t" at <call .missing>: error calling call: call of nil"##,
    ),
    (
        r##"{{ 99999999999999999999 }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): "99999999999999999999""##,
    ),
    (
        r##"{{ 18446744073709551615 }}"##,
        r##"{}"##,
        r##"ERR t:1:3
  executing "t" at <18446744073709551615>:
    18446744073709551615 overflows int"##,
    ),
    (
        r##"{{ .x | 1 }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): non executable command in pipeline stage 2"##,
    ),
    (r##"{{ .x | }}"##, r##"{}"##, r##""##),
    (
        r##"{{ }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): missing value for command"##,
    ),
    (
        r##"{{ if }}{{ end }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): missing value for if"##,
    ),
    (
        r##"{{ end }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unexpected {{end}}"##,
    ),
    (
        r##"{{ if .x }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unexpected EOF"##,
    ),
    (
        r##"{{ $x }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): undefined variable "$x""##,
    ),
    (
        r##"{{ break }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): {{break}} outside {{range}}"##,
    ),
    (
        r##"{{ range .x }}{{ else }}{{ break }}{{ end }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): {{break}} outside {{range}}"##,
    ),
    (
        r##"{{ "a".b }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unexpected . after term "\"a\"""##,
    ),
    (
        r##"{{ template x }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unexpected "x" in template clause"##,
    ),
    (
        r##"{{ 1 2 ; }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unexpected ";" in operand"##,
    ),
    (
        r##"{{ (.x
 }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:2): unclosed left paren in action started at t:1"##,
    ),
    (
        r##"{{ .x) }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unexpected right paren"##,
    ),
    (
        r##"{{ "abc }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unterminated quoted string"##,
    ),
    (
        r##"{{ `abc }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unterminated raw quoted string"##,
    ),
    (
        r##"{{/* x }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unclosed comment"##,
    ),
    (
        r##"{{/* x */ }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): comment ends before closing delimiter"##,
    ),
    (
        r##"{{ 3x }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): "3x""##,
    ),
    (
        r##"{{ $x=1 }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): bad character U+003D '='"##,
    ),
    (
        r##"{{ .x=1 }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): bad character U+003D '='"##,
    ),
    (
        r##"{{ :x }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): expected :="##,
    ),
    (
        r##"{{ é }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): function "é" not defined"##,
    ),
    (
        r##"{{ range $i, $v, $w := .l }}{{ end }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): too many declarations in range"##,
    ),
    (
        r##"{{ $a, $b := 1 }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): too many declarations in command"##,
    ),
    (
        r##"{{ with $a, $b := 1 }}{{ end }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): too many declarations in with"##,
    ),
    (
        r##"{{ range $i, 1 }}{{ end }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): range can only initialize variables"##,
    ),
    (
        r##"{{ $x := 1 }}{{ $x := 2 }}{{ $x }}"##,
        r##"{}"##,
        r##"2"##,
    ),
    (
        r##"{{ $y = 1 }}"##,
        r##"{}"##,
        r##"ERR t:1:8
  executing "t" at <1>:
    undefined variable: $y"##,
    ),
    (
        r##"{{ if true }}{{ $z := 1 }}{{ end }}{{ $z }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): undefined variable "$z""##,
    ),
    (
        r##"{{ (1) }} {{ (("a")) }} {{ (.a).b }}"##,
        r##"{"a":{"b":2}}"##,
        r##"1 a 2"##,
    ),
    (
        r##"{{ (nil).a }}"##,
        r##"{}"##,
        r##"ERR t:1:4
  executing "t" at <nil>:
    nil is not a command"##,
    ),
    (
        r##"{{ 'ab' }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): 'ab'"##,
    ),
    (
        r##"{{ "\q" }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): invalid syntax"##,
    ),
    (
        r##"{{- 1 }} {{ 2 -}} {{- 3 -}}  
 4"##,
        r##"{}"##,
        r##"1 234"##,
    ),
    (r##"{{ 1 }}{{- /* c */}}"##, r##"{}"##, r##"1"##),
    (r##"a{{/* c */ -}}  b"##, r##"{}"##, r##"ab"##),
    (
        r##"{{ -1 }}{{ +1 }}{{ .5 }}{{ -.5 }}"##,
        r##"{}"##,
        r##"-110.5-0.5"##,
    ),
    (
        r##"{{ 1_0 }} {{ 0x_1 }} {{ 1__0 }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): "1__0""##,
    ),
    (
        r##"{{ 08 }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): "08""##,
    ),
    (
        r##"{{ 1e400 }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): "1e400""##,
    ),
    (
        r##"{{ .x /* c */ }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unexpected "/" in operand"##,
    ),
    (
        r##"{{ .my-key }}"##,
        r##"{"my-key":1}"##,
        r##"ERR parse error at (t:1): bad character U+002D '-'"##,
    ),
    (r##"{{ index . "my-key" }}"##, r##"{"my-key":1}"##, r##"1"##),
    (
        r##"{{ .l.y }}"##,
        r##"{"l":[1]}"##,
        r##"ERR t:1:5
  executing "t" at <.l.y>:
    can't evaluate field y in type interface {}"##,
    ),
    (
        r##"{{ with .l }}{{ .y }}{{ end }}"##,
        r##"{"l":[1]}"##,
        r##"ERR t:1:16
  executing "t" at <.y>:
    can't evaluate field y in type []interface {}"##,
    ),
    (
        r##"a
  {{- .x -}}
  b"##,
        r##"{"x":1}"##,
        r##"a1b"##,
    ),
    (
        r##"{{ if eq .a "x" }}y{{ else }}n{{ end }}"##,
        r##"{}"##,
        r##"n"##,
    ),
    (
        r##"{{ if (eq .x "a") | not }}t{{ end }}"##,
        r##"{"x":"b"}"##,
        r##"t"##,
    ),
    (
        r##"{{ "\u00e9\U0001F600\x41\101" }}"##,
        r##"{}"##,
        r##"é😀AA"##,
    ),
    (
        r##"{{ .f }} {{ .g }} {{ .h }} {{ .i }}"##,
        r##"{"f":0.1,"g":1e21,"h":123456789,"i":-0.0}"##,
        r##"0.1 1e+21 1.23456789e+08 -0"##,
    ),
    (r##"{{ .a }}"##, r##"{"a":"<no value>"}"##, r##""##),
    (r##"{{ print .missing }}"##, r##"{}"##, r##"<nil>"##),
    (
        r##"{{ range $i, $c := "ab" }}{{ $c }}{{ end }}"##,
        r##"{}"##,
        r##"ERR t:1:19
  executing "t" at <"ab">:
    range can't iterate over ab"##,
    ),
    (r##"{{ .t }}"##, r##"{"t":true}"##, r##"true"##),
    (
        r##"{{ (index .m "a").b }}"##,
        r##"{"m":{"a":{"b":"deep"}}}"##,
        r##"deep"##,
    ),
    (r##"{{ $.x }}{{ $ }}"##, r##"{"x":"v"}"##, r##"vmap[x:v]"##),
    (
        r##"{{- range $k, $v := . }}
{{ $k }}: {{ $v }}
{{- end }}"##,
        r##"{"b":2,"a":1}"##,
        r##"
a: 1
b: 2"##,
    ),
    (
        r##"{{ continue }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): {{continue}} outside {{range}}"##,
    ),
    (
        r##"{{ range . }}{{ end }}{{ . | len }}"##,
        r##"{"a":1}"##,
        r##"1"##,
    ),
    (
        r##"{{ if }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): missing value for if"##,
    ),
    (
        r##"{{ with }}{{ end }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): missing value for with"##,
    ),
    (
        r##"{{ range }}{{ end }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): missing value for range"##,
    ),
    (
        r##"{{ template }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unexpected "}}" in template clause"##,
    ),
    (
        r##"{{ block "x" }}{{ end }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): missing value for block clause"##,
    ),
    (
        r##"{{ end 1 }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unexpected "1" in end"##,
    ),
    (
        r##"{{ ( }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unclosed left paren"##,
    ),
    (
        r##"{{ .x | | .y }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): unexpected "|" in command"##,
    ),
    (
        r##"{{ $x := }}"##,
        r##"{}"##,
        r##"ERR parse error at (t:1): missing value for command"##,
    ),
    (
        r##"{{ 1 | printf }}"##,
        r##"{}"##,
        r##"ERR t:1:7
  executing "t" at <printf>:
    wrong type for value; expected string; got int"##,
    ),
];
