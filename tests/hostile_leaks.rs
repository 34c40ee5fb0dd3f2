//! Issue 10, hostile input: a pull request must not make `policy` print a
//! secret or read a file outside what it was asked to check. Every planted
//! value is assembled at run time (this file holds no token-shaped literal),
//! and every output (standard output and error, every written report, the
//! baseline, `policy inspect`) is searched for it and its upper-case form.

mod common;
use common::image::{self, Image, Layer};
use common::{json, policy, stderr, stdout, write};

use serde_json::json;
use std::path::Path;
use std::process::Output;

/// `n` characters cycling through `alphabet`, after `tag` (which makes each
/// planted value unique).
fn body(tag: &str, alphabet: &str, n: usize) -> String {
    let mut s = tag.to_string();
    s.extend(alphabet.chars().cycle().take(n - tag.len()));
    s
}

const ALNUM: &str = "a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ";
const UPPER: &str = "QWERTYUIOP234567";
const HEX: &str = "0123456789abcdef";

/// One value of every token kind `secrets::find_tokens` knows, by kind.
fn tokens() -> Vec<(&'static str, String)> {
    let key_body = body("MIIEpAIBAAKCAQEAleak", ALNUM, 64);
    let pem = format!("-----BEGIN RSA PRIVATE KEY-----\n{key_body}\n-----END RSA PRIVATE KEY-----");
    vec![
        (
            "aws-access-key-id",
            format!("AKIA{}", body("LKQ", UPPER, 16)),
        ),
        ("github-token", format!("ghp_{}", body("LeakGh", ALNUM, 36))),
        (
            "github-fine-grained-token",
            format!("github_pat_{}", body("LeakPat_", ALNUM, 82)),
        ),
        (
            "gitlab-token",
            format!("glpat-{}", body("LeakGl", ALNUM, 24)),
        ),
        (
            "slack-token",
            format!("xoxb-{}", body("123LeakSl", ALNUM, 30)),
        ),
        (
            "slack-webhook",
            format!("T0LEAK/B0LEAK/{}", body("LeakHook", ALNUM, 24)),
        ),
        (
            "stripe-live-key",
            format!("sk_live_{}", body("LeakSt", ALNUM, 24)),
        ),
        (
            "google-api-key",
            format!("AIza{}", body("LeakGo", ALNUM, 35)),
        ),
        ("private-key", key_body),
        ("private-key-base64", base64(pem.as_bytes())),
        ("npm-token", format!("npm_{}", body("LeakNpm", ALNUM, 36))),
        (
            "pypi-token",
            format!("pypi-AgEIcHlwaS5vcmc{}", body("LeakPy", ALNUM, 60)),
        ),
        ("twilio-api-key", format!("SK{}", body("", HEX, 32))),
        (
            "openai-api-key",
            format!("sk-proj-{}", body("LeakOa", ALNUM, 30)),
        ),
        (
            "anthropic-api-key",
            format!("sk-ant-{}", body("LeakAn", ALNUM, 30)),
        ),
        (
            "jwt",
            format!(
                "eyJ{}.eyJ{}.{}",
                body("hbLeak", ALNUM, 20),
                body("zdLeak", ALNUM, 24),
                body("sigLeak", ALNUM, 30)
            ),
        ),
        ("url-password", "Pl4ntedUrlPassw0rd".to_string()),
    ]
}

fn token(kind: &str) -> String {
    tokens()
        .into_iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, t)| t)
        .unwrap()
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |acc, &b| acc << 8 | b as u32) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
        out.extend(std::iter::repeat_n('=', 3 - chunk.len()));
    }
    out
}

/// Secret-by-name values: no token format, only the name says they are secret.
fn named(what: &str) -> String {
    format!("Pl4nted{what}Value9")
}

/// Every planted value appears in none of `outputs`, in any case.
fn assert_no_leak(planted: &[String], outputs: &[(String, String)]) {
    let mut leaks = Vec::new();
    for value in planted {
        for (name, text) in outputs {
            let upper = value.to_uppercase();
            if text.contains(value.as_str()) || text.contains(upper.as_str()) {
                leaks.push(format!("{value} in {name}"));
            }
        }
    }
    assert!(leaks.is_empty(), "leaked:\n{}", leaks.join("\n"));
}

fn outputs_of(name: &str, out: &Output) -> Vec<(String, String)> {
    vec![
        (format!("{name} stdout"), stdout(out)),
        (format!("{name} stderr"), stderr(out)),
    ]
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn no_planted_secret_reaches_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let tok = token;
    let mut planted: Vec<String> = tokens().into_iter().map(|(_, t)| t).collect();
    for what in [
        "EnvPw",
        "LabelPw",
        "Comment",
        "Flag",
        "Curl",
        "Yaml",
        "K8sEnv",
        "Data",
        "StringData",
        "ImgLabel",
        "ImgEnv",
        "History",
        "Config",
        "Health",
    ] {
        planted.push(named(what));
    }

    // Findings that quote values (CP202, CP203, CP705), secrets in comments,
    // labels, flags and a curl command in the snippets.
    write(
        &repo,
        "app/Dockerfile",
        &format!(
            "FROM registry.example.com/{ghp}/app:latest\n\
             # api_key={comment}\n\
             LABEL password=\"{label}\"\n\
             WORKDIR {npm}\n\
             ENV DB_PASSWORD={env} GOOGLE_KEY={google}\n\
             RUN ./login --password {flag} && curl -u admin:{curl} https://admin:{url}@db.example.com/ \\\n \
             && echo {anthropic} {openai} {stripe}\n\
             RUN echo \"-----BEGIN RSA PRIVATE KEY-----\" > /k && echo \"{key}\" >> /k\n",
            ghp = tok("github-token"),
            comment = named("Comment"),
            label = named("LabelPw"),
            npm = tok("npm-token"),
            env = named("EnvPw"),
            google = tok("google-api-key"),
            flag = named("Flag"),
            curl = named("Curl"),
            url = tok("url-password"),
            anthropic = tok("anthropic-api-key"),
            openai = tok("openai-api-key"),
            stripe = tok("stripe-live-key"),
            key = tok("private-key"),
        ),
    );
    // L3: a forgotten `\` in a multi-line ENV; mixed case is upper-cased by
    // the "unknown instruction" error.
    write(
        &repo,
        "broken/Dockerfile",
        &format!(
            "FROM alpine:3.19\nENV AWS_ACCESS_KEY_ID={aws} \\\n    GITHUB_PAT={pat}\n    SLACK_TOKEN={slack}\n",
            aws = tok("aws-access-key-id"),
            pat = tok("github-fine-grained-token"),
            slack = tok("slack-token"),
        ),
    );
    // L5: a PASSWORD line just before a YAML syntax error.
    write(
        &repo,
        "compose.yaml",
        &format!(
            "services:\n  db:\n    image: postgres:16\n    environment:\n      GITLAB: {gitlab}\n      POSTGRES_PASSWORD: \"{yaml}\"\n      - not a key\n",
            gitlab = tok("gitlab-token"),
            yaml = named("Yaml"),
        ),
    );
    // A Deployment whose image and env hold secrets, and a Secret.
    write(
        &repo,
        "k8s/app.yaml",
        &format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/{pypi}/web:latest\n          env:\n            - name: API_TOKEN\n              value: {k8s}\n            - name: HOOK\n              value: https://hooks.slack.com/services/{hook}\n            - name: SESSION\n              value: {jwt}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  tls.key: {b64key}\n  blob: {data}\nstringData:\n  config.json: {string_data}\n  {twilio}: x\n",
            pypi = tok("pypi-token"),
            k8s = named("K8sEnv"),
            hook = tok("slack-webhook"),
            jwt = tok("jwt"),
            b64key = tok("private-key-base64"),
            data = named("Data"),
            string_data = named("StringData"),
            twilio = tok("twilio-api-key"),
        ),
    );
    // A saved `docker inspect` whose failing healthcheck printed secrets (CP604).
    let inspect = read(&common::repo_root().join("testdata/runtime/unhealthy.json"));
    let leaky = format!(
        "login --password {} failed with token {}",
        named("Health"),
        tok("slack-token")
    );
    write(
        &repo,
        "runtime/inspect.json",
        &inspect.replace(
            "connection refused to db at 127.0.0.1:5432 token=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            &leaky,
        ),
    );
    // An image whose config and history hold secrets (`docker save`).
    let img = Image::new(json!({
        "User": "root",
        "Env": [format!("API_TOKEN={}", named("ImgEnv")), "PATH=/usr/bin".to_string()],
        "Labels": {"db.password": named("ImgLabel")},
    }))
    .step(&format!(
        "RUN |1 DB_PASSWORD={} /bin/sh -c curl -u admin:{} https://example.com",
        named("History"),
        named("Curl")
    ))
    .layer(Layer::new().file("app/run.sh", "#!/bin/sh\n"));
    image::write_tar(&repo.join("image.tar"), &image::docker_legacy_files(&[img]));

    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    let target = |name: &str| format!("{name}={}", reports.join(name).display());
    let out = policy(
        &[
            "check",
            ".",
            "image.tar",
            "--format",
            "human",
            "--format",
            &target("json"),
            "--format",
            &target("sarif"),
            "--format",
            &target("github"),
            "--format",
            &target("junit"),
            "--write-baseline",
            &reports.join("baseline.json").display().to_string(),
        ],
        &repo,
    );
    let mut outputs = outputs_of("check", &out);
    for name in ["json", "sarif", "github", "junit", "baseline.json"] {
        outputs.push((name.to_string(), read(&reports.join(name))));
    }
    // The run saw what it should: not vacuous.
    let report: serde_json::Value = serde_json::from_str(&read(&reports.join("json"))).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for rule in ["CP202", "CP705", "CP604"] {
        assert!(rules.contains(&rule), "{rule} not reported: {rules:?}");
    }
    let errors: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert!(
        errors.iter().any(|p| p.ends_with("broken/Dockerfile"))
            && errors.iter().any(|p| p.ends_with("compose.yaml")),
        "{errors:?}"
    );
    let human = stdout(&out);
    assert!(human.contains("unknown instruction"), "{human}");
    // The PASSWORD line before the YAML error is shown, masked.
    let stars = |what: &str| "*".repeat(named(what).len());
    let masked = format!("POSTGRES_PASSWORD: \"{}\"", stars("Yaml"));
    assert!(human.contains(&masked), "{human}");

    // `policy inspect` says its output has secrets redacted.
    for path in ["app/Dockerfile", "k8s/app.yaml", "image.tar"] {
        let out = policy(&["inspect", path], &repo);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        outputs.extend(outputs_of(&format!("inspect {path}"), &out));
    }

    // A config error and a policy error, each with secrets around the error.
    let conf = dir.path().join("conf");
    write(
        &conf,
        ".policy.yaml",
        &format!(
            "# token: {}\nseverity:\n  CP101: error\npassword: \"{}\"\nfail-on: {}\n",
            tok("github-token"),
            named("Config"),
            tok("aws-access-key-id"),
        ),
    );
    write(&conf, "Dockerfile", "FROM alpine:3.19\n");
    let out = policy(&["check", "."], &conf);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("config-error"), "{}", stderr(&out));
    outputs.extend(outputs_of("config error", &out));
    std::fs::remove_file(conf.join(".policy.yaml")).unwrap();
    write(
        &conf,
        "policy/bad.rego",
        &format!(
            "package rules.bad\n\n# api_token = \"{}\"\npassword := \"{}\" +\n",
            tok("gitlab-token"),
            named("Config"),
        ),
    );
    let out = policy(&["check", ".", "--policy", "policy"], &conf);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let masked = format!("password := \"{}\"", stars("Config"));
    assert!(stderr(&out).contains(&masked), "{}", stderr(&out));
    outputs.extend(outputs_of("policy error", &out));

    assert_no_leak(&planted, &outputs);
}

/// A walked tree, with `outside` holding a file no run may read.
fn tree_with_links_out() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    write(&outside, "environ", "HOST_SECRET_MARKER_L1=from-the-host\n");
    write(
        &outside,
        "dir/Dockerfile",
        "FROM alpine:3.19\nLABEL marker=HOST_DIR_MARKER_D\n",
    );
    let repo = dir.path().join("repo");
    write(&repo, "good/Dockerfile", "FROM alpine:latest\n");
    (dir, repo)
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_checked_tree_are_skipped_not_read() {
    use std::os::unix::fs::symlink;
    let (dir, repo) = tree_with_links_out();
    let outside = dir.path().join("outside");
    symlink(outside.join("environ"), repo.join("Dockerfile")).unwrap();
    symlink(outside.join("dir"), repo.join("linked")).unwrap();
    std::fs::create_dir_all(repo.join("deep/er")).unwrap();
    symlink(
        "../../../outside/environ",
        repo.join("deep/er/compose.yaml"),
    )
    .unwrap();
    // A link that stays inside is followed as before.
    symlink("good/Dockerfile", repo.join("Containerfile")).unwrap();
    for format in ["json", "human"] {
        let out = policy(&["check", ".", "--format", format], &repo);
        let all = stdout(&out) + &stderr(&out);
        assert!(
            !all.contains("MARKER") && !all.contains("from-the-host"),
            "{all}"
        );
        assert_eq!(out.status.code(), Some(1), "{all}");
        if format == "json" {
            let report = json(&out);
            let skipped: Vec<(String, String)> = report["skipped"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["path"].as_str().unwrap().to_string(),
                        s["reason"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            let paths: Vec<&str> = skipped.iter().map(|(p, _)| p.as_str()).collect();
            assert_eq!(
                paths,
                ["Dockerfile", "deep/er/compose.yaml", "linked"],
                "{skipped:?}"
            );
            assert!(skipped
                .iter()
                .all(|(_, r)| r.contains("outside the checked directory")));
            assert!(report["errors"].as_array().unwrap().is_empty(), "{report}");
            // The good file and the link inside the tree are still checked.
            let found: Vec<&str> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["path"].as_str().unwrap())
                .collect();
            assert!(found.contains(&"good/Dockerfile"), "{found:?}");
            assert!(found.contains(&"Containerfile"), "{found:?}");
        } else {
            assert!(
                stdout(&out).contains(
                    "skipped: ./Dockerfile: symlink to a path outside the checked directory"
                ),
                "{}",
                stdout(&out)
            );
        }
    }
    // `policy inspect` does not read them either.
    let out = policy(&["inspect", "."], &repo);
    let all = stdout(&out) + &stderr(&out);
    assert!(!all.contains("MARKER"), "{all}");
    // Named on the command line, the target is trusted and read.
    let out = policy(&["check", "linked/Dockerfile", "--format", "json"], &repo);
    assert_eq!(json(&out)["summary"]["files"], 1);
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_is_skipped_and_the_run_goes_on() {
    let (_dir, repo) = tree_with_links_out();
    std::os::unix::fs::symlink("nowhere.yaml", repo.join("compose.yaml")).unwrap();
    let out = policy(&["check", ".", "--format", "json"], &repo);
    let report = json(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report["errors"].as_array().unwrap().is_empty(), "{report}");
    assert_eq!(report["skipped"][0]["path"], "compose.yaml");
    assert!(report["skipped"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("dangling symlink"));
    assert_eq!(report["findings"][0]["path"], "good/Dockerfile");
}

#[test]
fn config_paths_stay_inside_the_config_directory() {
    let dir = tempfile::tempdir().unwrap();
    let host = dir.path().join("host");
    write(
        &host,
        "marker.rego",
        "package rules.x\n# HOST_POLICY_MARKER\nbroken(\n",
    );
    write(dir.path(), "outside.yaml", "HOST_DATA_MARKER: [\n");
    let repo = dir.path().join("repo");
    write(&repo, "Dockerfile", "FROM alpine:3.19\n");
    let cases = [
        (
            format!("policies: [\"{}\"]\n", host.join("marker.rego").display()),
            "`policies[0]` is an absolute path",
        ),
        (
            "fail-on: error\ndata: [\"../outside.yaml\"]\n".to_string(),
            "`data[0]` leads out of its directory",
        ),
        (
            "policies: [\"ok/../../host\"]\n".to_string(),
            "`policies[0]` leads out of its directory",
        ),
    ];
    for (config, message) in cases {
        write(&repo, ".policy.yaml", &config);
        let out = policy(&["check", "."], &repo);
        let all = stdout(&out) + &stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{all}");
        assert!(all.contains(message), "{all}");
        assert!(
            all.contains("pass files from elsewhere on the command line"),
            "{all}"
        );
        assert!(!all.contains("MARKER"), "{all}");
    }
    // A line number points at the key.
    write(
        &repo,
        ".policy.yaml",
        "fail-on: error\ndata: [\"../outside.yaml\"]\n",
    );
    let all = stderr(&policy(&["check", "."], &repo));
    assert!(all.contains("2 │ data"), "{all}");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(host.join("marker.rego"), repo.join("link.rego")).unwrap();
        write(&repo, ".policy.yaml", "policies: [link.rego]\n");
        let all = stderr(&policy(&["check", "."], &repo));
        assert!(all.contains("through a symlink"), "{all}");
        assert!(!all.contains("MARKER"), "{all}");
    }
    // A config file found (not named) is not read through a link out.
    #[cfg(unix)]
    {
        std::fs::remove_file(repo.join(".policy.yaml")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside.yaml"), repo.join(".policy.yaml"))
            .unwrap();
        let all = stderr(&policy(&["check", "."], &repo));
        assert!(all.contains("through a symlink; not read"), "{all}");
        assert!(!all.contains("MARKER"), "{all}");
    }
    // The same paths given on the command line are the user's: trusted.
    std::fs::remove_file(repo.join(".policy.yaml")).unwrap();
    let out = policy(&["check", ".", "--data", "../outside.yaml"], &repo);
    assert!(stderr(&out).contains("outside.yaml"), "{}", stderr(&out));
    assert!(stderr(&out).contains("policy-error"), "{}", stderr(&out));
}

#[test]
fn unknown_instruction_names_a_near_miss_only() {
    let dir = tempfile::tempdir().unwrap();
    let secret = named("Continued");
    write(
        dir.path(),
        "a/Dockerfile",
        &format!("FROM alpine:3.19\nENV A=1 \\\n    B=2\n    DB_PASSWORD={secret}\n"),
    );
    write(dir.path(), "b/Dockerfile", "FROM alpine:3.19\nRUNN echo\n");
    write(
        dir.path(),
        "c/Dockerfile",
        &format!("FROM alpine:3.19\nENV PASSWORD={secret} two\n"),
    );
    let out = policy(&["check", ".", "--format", "json"], dir.path());
    let report = json(&out);
    let messages: Vec<(String, u64, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        messages,
        [
            (
                "a/Dockerfile".to_string(),
                4,
                "unknown instruction: this line does not start with a Dockerfile instruction; if it continues the previous instruction, end that line with `\\`".to_string()
            ),
            (
                "b/Dockerfile".to_string(),
                2,
                "unknown instruction `RUNN`; did you mean RUN?".to_string()
            ),
            (
                "c/Dockerfile".to_string(),
                2,
                "Syntax error - can't find = in word 2 of ENV. Must be of the form: name=value; quote a value that holds blanks".to_string()
            ),
        ]
    );
    let human = stdout(&policy(&["check", "."], dir.path()));
    assert!(human.contains("could not check this file"), "{human}");
    assert!(
        !human.to_uppercase().contains(&secret.to_uppercase()),
        "{human}"
    );
}

#[test]
fn finding_messages_and_baselines_are_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let ghp = token("github-token");
    let npm = token("npm-token");
    write(
        dir.path(),
        "Dockerfile",
        &format!("FROM registry.example.com/{ghp}/app:latest\nWORKDIR {npm}\nUSER 1000\n"),
    );
    let out = policy(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--write-baseline",
            "base.json",
        ],
        dir.path(),
    );
    let report = json(&out);
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"image \"registry.example.com/ghp_************/app:latest\" uses the moving `latest` tag; pin a version tag or a digest"),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("WORKDIR \"npm_************\" is relative")),
        "{messages:?}"
    );
    let baseline = read(&dir.path().join("base.json"));
    assert!(baseline.contains("ghp_************"), "{baseline}");
    assert_no_leak(
        &[ghp, npm],
        &[
            ("stdout".into(), stdout(&out)),
            ("baseline".into(), baseline),
        ],
    );
}

#[test]
fn rule_prints_and_policy_source_lines_are_not_printed_raw() {
    let dir = tempfile::tempdir().unwrap();
    let secret = token("github-token");
    write(
        dir.path(),
        "Dockerfile",
        &format!("FROM debian:bookworm-slim\nENV GH_TOKEN={secret}\n"),
    );
    // A repository policy that prints its whole input: regorus wrote it raw
    // to stderr.
    write(
        dir.path(),
        "team/print.rego",
        "package main\nimport rego.v1\ndeny contains msg if {\n\tprint(input)\n\tmsg := \"seen\"\n}\n",
    );
    write(dir.path(), ".policy.yaml", "policies: [team]\n");
    let out = policy(&["check", "Dockerfile", "--format", "json"], dir.path());
    assert_no_leak(
        std::slice::from_ref(&secret),
        &outputs_of("a printing policy", &out),
    );
    // The printing rule did run (its finding is there).
    assert!(stdout(&out).contains("seen"), "{}", stdout(&out));

    // A policy that fails to load: its snippet shows the lines around the
    // error, masked.
    let key = token("aws-access-key-id");
    write(
        dir.path(),
        "team/print.rego",
        &format!("package team.old\n\ndeny[msg] {{\n\tsome x in [\"{key}\"]\n\tmsg := x\n}}\n"),
    );
    let out = policy(&["check", "Dockerfile"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("print.rego:3:"), "{}", stderr(&out));
    assert_no_leak(&[key], &outputs_of("a policy error", &out));
}
