//! Live containers from the Docker Engine API (bollard), read-only: `GET
//! /_ping`, `GET /containers/json`, `GET /containers/{id}/json`; only
//! `--exec-healthchecks` creates and starts an exec (`POST`) to run a
//! container's own healthcheck command. Each
//! container's inspect response is written out as the JSON `docker inspect`
//! prints (an array of one), so a live container is checked by the same
//! code as a saved `docker inspect` file.

use bollard::query_parameters::{InspectContainerOptions, ListContainersOptions};
use bollard::Docker;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// The engine address when neither `--docker-host` nor `DOCKER_HOST` gives one.
pub const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// Which containers to inspect.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    /// Names or ids, in any state.
    pub containers: Vec<String>,
    /// `KEY=VALUE` (or `KEY`): running containers carrying all of them.
    pub labels: Vec<String>,
    /// Running containers of these compose projects.
    pub compose_projects: Vec<String>,
}

impl Selector {
    /// No selector at all: every running container.
    pub fn is_all(&self) -> bool {
        self.containers.is_empty() && self.labels.is_empty() && self.compose_projects.is_empty()
    }
}

/// One inspected container, as `docker inspect NAME` would print it.
#[derive(Debug, Clone)]
pub struct Inspected {
    pub name: String,
    pub id: String,
    /// A JSON array holding the inspect object.
    pub json: String,
    /// Its healthcheck run through exec (`--exec-healthchecks`).
    pub exec: Option<ExecResult>,
}

/// A healthcheck command run in the container.
#[derive(Debug, Clone)]
pub struct ExecResult {
    /// The command as Docker runs it (`CMD-SHELL wget -qO- …`).
    pub command: String,
    /// None when it did not finish in time, or could not run.
    pub exit_code: Option<i64>,
    /// Standard output and error (raw: redact before showing).
    pub output: String,
    pub millis: u64,
    /// Why it could not run or finish.
    pub error: Option<String>,
}

/// What reading the engine gave: containers, and per-container problems.
#[derive(Debug, Default)]
pub struct Inspection {
    pub containers: Vec<Inspected>,
    /// (container as selected, message): a name that matches nothing, an
    /// inspect call that failed.
    pub errors: Vec<(String, String)>,
}

/// `--docker-host`, else `DOCKER_HOST`, else the default socket.
pub fn resolve_host(flag: Option<&str>) -> String {
    flag.map(str::to_string)
        .or_else(|| std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty()))
        .unwrap_or_else(|| DEFAULT_HOST.to_string())
}

fn connect(host: &str, timeout: Duration) -> Result<Docker, String> {
    let secs = timeout.as_secs().max(1);
    let version = bollard::API_DEFAULT_VERSION;
    let result = if host.starts_with("unix://") || host.starts_with('/') {
        let path = if host.starts_with('/') {
            format!("unix://{host}")
        } else {
            host.to_string()
        };
        Docker::connect_with_unix(&path, secs, version)
    } else if host.starts_with("tcp://") || host.starts_with("http://") {
        Docker::connect_with_http(host, secs, version)
    } else {
        return Err(format!(
            "unsupported Docker host `{host}`: use unix:///path/to/docker.sock or tcp://HOST:PORT"
        ));
    };
    result
        .map(|d| d.with_timeout(timeout))
        .map_err(|e| unreachable(host, e))
}

fn unreachable(host: &str, e: impl std::fmt::Display) -> String {
    format!("cannot reach the Docker engine at {host} ({e}); is it running? Set --docker-host or DOCKER_HOST")
}

/// Runs one engine call with a deadline.
async fn timed<T, E: std::fmt::Display>(
    timeout: Duration,
    what: &str,
    call: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(timeout, call).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(format!("{what}: {e}")),
        Err(_) => Err(format!(
            "{what}: no answer within {}s",
            timeout.as_secs_f64()
        )),
    }
}

/// Inspects the selected containers. `Err` when the engine cannot be
/// reached at all; problems with single containers are in `errors`.
/// With `exec_healthchecks`, each running container's healthcheck command
/// is also run (through exec) and its result kept.
pub fn inspect(
    host: &str,
    selector: &Selector,
    timeout: Duration,
    exec_healthchecks: bool,
) -> Result<Inspection, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the Docker client: {e}"))?;
    runtime.block_on(inspect_async(host, selector, timeout, exec_healthchecks))
}

async fn inspect_async(
    host: &str,
    selector: &Selector,
    timeout: Duration,
    exec_healthchecks: bool,
) -> Result<Inspection, String> {
    let docker = connect(host, timeout)?;
    timed(timeout, "ping", docker.ping())
        .await
        .map_err(|e| unreachable(host, e))?;
    let mut out = Inspection::default();
    // Ids to inspect, with the name the user selected them by.
    let mut wanted: BTreeMap<String, String> = BTreeMap::new();
    for name in &selector.containers {
        wanted.insert(name.clone(), name.clone());
    }
    let mut filters: Vec<HashMap<String, Vec<String>>> = Vec::new();
    if selector.is_all() {
        filters.push(HashMap::new());
    }
    if !selector.labels.is_empty() {
        filters.push(HashMap::from([("label".into(), selector.labels.clone())]));
    }
    for project in &selector.compose_projects {
        let mut labels = selector.labels.clone();
        labels.push(format!("com.docker.compose.project={project}"));
        filters.push(HashMap::from([("label".into(), labels)]));
    }
    for f in filters {
        let options = ListContainersOptions {
            all: false,
            filters: (!f.is_empty()).then_some(f),
            ..Default::default()
        };
        let listed = timed(
            timeout,
            "listing containers",
            docker.list_containers(Some(options)),
        )
        .await?;
        for c in listed {
            if let Some(id) = c.id {
                let shown = c
                    .names
                    .and_then(|n| n.first().cloned())
                    .map(|n| n.trim_start_matches('/').to_string())
                    .unwrap_or_else(|| id.clone());
                wanted.entry(id).or_insert(shown);
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (key, shown) in wanted {
        let what = format!("inspecting container {shown}");
        match timed(
            timeout,
            &what,
            docker.inspect_container(&key, None::<InspectContainerOptions>),
        )
        .await
        {
            Ok(response) => {
                let id = response.id.clone().unwrap_or_default();
                // A container selected by name and by a label is checked once.
                if !seen.insert(id.clone()) {
                    continue;
                }
                let name = response
                    .name
                    .as_deref()
                    .unwrap_or(&shown)
                    .trim_start_matches('/')
                    .to_string();
                let json = to_inspect_json(&response)
                    .map_err(|e| format!("cannot serialize container {name}: {e}"))?;
                let running = response.state.as_ref().and_then(|s| s.running) == Some(true);
                let test = response
                    .config
                    .as_ref()
                    .and_then(|c| c.healthcheck.as_ref())
                    .and_then(|h| Some((h.test.clone()?, h.timeout.unwrap_or(0))));
                let exec = match (exec_healthchecks && running, test) {
                    (true, Some((test, nanos))) => {
                        // Docker's default healthcheck timeout is 30 s.
                        let limit = match nanos {
                            n if n > 0 => Duration::from_nanos(n as u64),
                            _ => Duration::from_secs(30),
                        };
                        exec_healthcheck(&docker, &id, &test, limit, timeout).await
                    }
                    _ => None,
                };
                out.containers.push(Inspected {
                    name,
                    id,
                    json,
                    exec,
                });
            }
            Err(e) => out.errors.push((shown, e)),
        }
    }
    out.containers.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Runs a healthcheck test (`["CMD", …]` or `["CMD-SHELL", "…"]`) in the
/// container, as Docker would, within `limit`. None for `NONE` or an empty test.
async fn exec_healthcheck(
    docker: &Docker,
    id: &str,
    test: &[String],
    limit: Duration,
    timeout: Duration,
) -> Option<ExecResult> {
    use bollard::exec::{CreateExecOptions, StartExecResults};
    use futures_util::StreamExt;
    let cmd: Vec<String> = match test.split_first() {
        Some((kind, rest)) if kind == "CMD" && !rest.is_empty() => rest.to_vec(),
        Some((kind, rest)) if kind == "CMD-SHELL" && !rest.is_empty() => {
            vec!["/bin/sh".into(), "-c".into(), rest.join(" ")]
        }
        _ => return None,
    };
    let command = test.join(" ");
    let started = std::time::Instant::now();
    let failed = |error: String| ExecResult {
        command: command.clone(),
        exit_code: None,
        output: String::new(),
        millis: started.elapsed().as_millis() as u64,
        error: Some(error),
    };
    let options = CreateExecOptions {
        cmd: Some(cmd),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        ..Default::default()
    };
    let created = match timed(
        timeout,
        "creating the exec",
        docker.create_exec(id, options),
    )
    .await
    {
        Ok(c) => c,
        Err(e) => return Some(failed(e)),
    };
    let run = async {
        let mut output = String::new();
        match docker.start_exec(&created.id, None).await {
            Ok(StartExecResults::Attached {
                output: mut stream, ..
            }) => {
                while let Some(chunk) = stream.next().await {
                    match chunk {
                        Ok(c) if output.len() < 64 * 1024 => output.push_str(&c.to_string()),
                        Ok(_) => {}
                        Err(e) => return Err(e.to_string()),
                    }
                }
                Ok(output)
            }
            Ok(StartExecResults::Detached) => Ok(output),
            Err(e) => Err(e.to_string()),
        }
    };
    let output = match tokio::time::timeout(limit, run).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => return Some(failed(format!("cannot run the healthcheck: {e}"))),
        Err(_) => {
            return Some(failed(format!(
                "the healthcheck did not finish within {} s",
                limit.as_secs_f64()
            )))
        }
    };
    let millis = started.elapsed().as_millis() as u64;
    match timed(
        timeout,
        "inspecting the exec",
        docker.inspect_exec(&created.id),
    )
    .await
    {
        Ok(r) => Some(ExecResult {
            command,
            exit_code: r.exit_code,
            output,
            millis,
            error: None,
        }),
        Err(e) => Some(failed(e)),
    }
}

/// `[ {…} ]` indented by four spaces, as `docker inspect` prints it.
fn to_inspect_json<T: serde::Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    serde::Serialize::serialize(&[value], &mut ser)?;
    buf.push(b'\n');
    Ok(String::from_utf8(buf).expect("serde_json writes UTF-8"))
}
