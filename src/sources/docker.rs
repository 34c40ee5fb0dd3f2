//! Live containers from the Docker Engine API (bollard), read-only: `GET
//! /_ping`, `GET /containers/json`, `GET /containers/{id}/json`; only
//! `--exec-healthchecks` creates and starts an exec (`POST`) to run a
//! container's own healthcheck command. Each
//! container's inspect response is written out as the JSON `docker inspect`
//! prints (an array of one), so a live container is checked by the same
//! code as a saved `docker inspect` file.
//!
//! Whatever answers at `--docker-host` is not trusted: every read from it
//! is capped in bytes ([`MAX_RESPONSE_BYTES`], [`MAX_ENGINE_BYTES`]) and
//! every wait in time ([`Waits`], [`MAX_EXEC_WAIT`]).

use super::Loaded;
use crate::finding::{FileError, Origin};
use crate::source::SourceFile;
use bollard::models::ContainerInspectResponse;
use bollard::query_parameters::{InspectContainerOptions, ListContainersOptions};
use bollard::Docker;
use futures_util::StreamExt;
use std::collections::{BTreeMap, HashMap};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The engine address when neither `--docker-host` nor `DOCKER_HOST` gives one.
pub const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";
/// Most bytes read for one Engine API call, headers included (a
/// container's inspect is 10–30 KB, the list of 1,000 containers about
/// 3 MB). A broken or hostile engine, or a proxy at `--docker-host`, could
/// send an endless body: past this the call is an error.
pub const MAX_RESPONSE_BYTES: usize = 32 << 20;
/// Most bytes read from the engine in one run, all calls together: each
/// inspected container is kept until it is checked, so this bounds memory
/// when an engine lists thousands of large containers (select fewer with
/// `--container`, `--label` or `--compose-project`).
pub const MAX_ENGINE_BYTES: usize = 256 << 20;
/// Containers inspected, and healthchecks run, at once: the calls wait on
/// the engine, and a few at a time keep its load and our memory small.
pub const PARALLEL_CONTAINERS: usize = 8;
/// Longest wait for a healthcheck run through exec, whatever the image's
/// `Healthcheck.Timeout` says (an image comes from anyone). The Engine API
/// has no call to stop an exec: past this its output is no longer read,
/// and the command may go on in the container until it ends by itself.
pub const MAX_EXEC_WAIT: Duration = Duration::from_secs(10);

/// How long the engine may take.
#[derive(Debug, Clone, Copy)]
pub struct Waits {
    /// Each API call (`--engine-timeout`).
    pub call: Duration,
    /// The end of the runtime stage: nothing waits past it.
    pub deadline: Instant,
    /// The stage's length (`--runtime-timeout`), for messages.
    pub stage: Duration,
}

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
    /// Policy stopped waiting ([`MAX_EXEC_WAIT`] or the stage deadline)
    /// before the container's own timeout: there is no verdict.
    pub stopped: bool,
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
    let (address, client_addr) = if let Some(path) = host.strip_prefix("unix://") {
        (Address::Unix(path.into()), "http://localhost".to_string())
    } else if host.starts_with('/') {
        (Address::Unix(host.into()), "http://localhost".to_string())
    } else if let Some(rest) = host
        .strip_prefix("tcp://")
        .or_else(|| host.strip_prefix("http://"))
    {
        let authority = rest.trim_end_matches('/');
        (
            Address::Tcp(authority.to_string()),
            format!("http://{authority}"),
        )
    } else {
        return Err(format!(
            "unsupported Docker host `{host}`: use unix:///path/to/docker.sock or tcp://HOST:PORT"
        ));
    };
    let connector = Connector {
        address,
        read: Arc::new(AtomicUsize::new(0)),
    };
    let mut builder =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new());
    // One connection per call, so that the cap per connection is per call.
    builder.pool_max_idle_per_host(0);
    let client = Arc::new(builder.build(connector));
    Docker::connect_with_custom_transport(
        move |request: bollard::BollardRequest| {
            let client = Arc::clone(&client);
            async move {
                client
                    .request(request)
                    .await
                    .map_err(bollard::errors::Error::from)
            }
        },
        Some(client_addr),
        secs,
        bollard::API_DEFAULT_VERSION,
    )
    .map(|d| d.with_timeout(timeout))
    .map_err(|e| unreachable(host, e))
}

#[derive(Debug, Clone)]
enum Address {
    Unix(std::path::PathBuf),
    /// `HOST:PORT`.
    Tcp(String),
}

/// Opens connections to the engine whose reads are counted and capped.
#[derive(Clone)]
struct Connector {
    address: Address,
    /// Bytes read from the engine so far, all connections together.
    read: Arc<AtomicUsize>,
}

impl tower_service::Service<http::Uri> for Connector {
    type Response = hyper_util::rt::TokioIo<Capped>;
    type Error = std::io::Error;
    type Future =
        Pin<Box<dyn std::future::Future<Output = std::io::Result<Self::Response>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// The URI is bollard's; the address is the one given.
    fn call(&mut self, _: http::Uri) -> Self::Future {
        let (address, total) = (self.address.clone(), Arc::clone(&self.read));
        Box::pin(async move {
            let stream = match address {
                Address::Unix(path) => Stream::Unix(tokio::net::UnixStream::connect(path).await?),
                Address::Tcp(authority) => {
                    Stream::Tcp(tokio::net::TcpStream::connect(authority).await?)
                }
            };
            Ok(hyper_util::rt::TokioIo::new(Capped {
                stream,
                read: 0,
                total,
            }))
        })
    }
}

enum Stream {
    Unix(tokio::net::UnixStream),
    Tcp(tokio::net::TcpStream),
}

/// A connection that fails its reads past [`MAX_RESPONSE_BYTES`], or once
/// the run has read [`MAX_ENGINE_BYTES`] from the engine.
struct Capped {
    stream: Stream,
    read: usize,
    total: Arc<AtomicUsize>,
}

/// The error a capped read gives; found again in the error's sources.
#[derive(Debug)]
struct TooLarge(String);

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TooLarge {}

fn mib(bytes: usize) -> usize {
    bytes >> 20
}

impl AsyncRead for Capped {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = match &mut this.stream {
            Stream::Unix(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tcp(s) => Pin::new(s).poll_read(cx, buf),
        };
        if let Poll::Ready(Ok(())) = polled {
            let n = buf.filled().len() - before;
            this.read += n;
            let total = this.total.fetch_add(n, Ordering::Relaxed) + n;
            let over = if this.read > MAX_RESPONSE_BYTES {
                Some(format!(
                    "the engine's answer is larger than {} MiB, the most policy reads from one call; check that --docker-host is a Docker engine, or select fewer containers with --container, --label or --compose-project",
                    mib(MAX_RESPONSE_BYTES)
                ))
            } else if total > MAX_ENGINE_BYTES {
                Some(format!(
                    "the engine sent more than {} MiB in all, the most policy reads in one run; select fewer containers with --container, --label or --compose-project",
                    mib(MAX_ENGINE_BYTES)
                ))
            } else {
                None
            };
            if let Some(message) = over {
                return Poll::Ready(Err(std::io::Error::other(TooLarge(message))));
            }
        }
        polled
    }
}

impl AsyncWrite for Capped {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match &mut self.get_mut().stream {
            Stream::Unix(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tcp(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match &mut self.get_mut().stream {
            Stream::Unix(s) => Pin::new(s).poll_flush(cx),
            Stream::Tcp(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match &mut self.get_mut().stream {
            Stream::Unix(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tcp(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}

impl hyper_util::client::legacy::connect::Connection for Capped {
    fn connected(&self) -> hyper_util::client::legacy::connect::Connected {
        hyper_util::client::legacy::connect::Connected::new()
    }
}

fn unreachable(host: &str, e: impl std::fmt::Display) -> String {
    format!("cannot reach the Docker engine at {host} ({e}); is it running? Set --docker-host or DOCKER_HOST")
}

/// Runs one engine call within its timeout and the stage's deadline.
async fn timed<T>(
    waits: Waits,
    what: &str,
    call: impl std::future::Future<Output = Result<T, bollard::errors::Error>>,
) -> Result<T, String> {
    let left = waits.deadline.saturating_duration_since(Instant::now());
    match tokio::time::timeout(waits.call.min(left), call).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(format!(
            "{what}: {}",
            too_large(&e).unwrap_or(e.to_string())
        )),
        Err(_) if left <= waits.call => Err(past_deadline(what, waits.stage)),
        Err(_) => Err(format!(
            "{what}: no answer within {}s",
            waits.call.as_secs_f64()
        )),
    }
}

/// The message of a capped read, wherever it is in the error's sources.
fn too_large(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut next = Some(e);
    while let Some(e) = next {
        if let Some(t) = e.downcast_ref::<TooLarge>() {
            return Some(t.to_string());
        }
        if let Some(t) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<TooLarge>())
        {
            return Some(t.to_string());
        }
        next = e.source();
    }
    None
}

/// Inspects the selected containers. `Err` when the engine cannot be
/// reached at all; problems with single containers are in `errors`.
/// With `exec_healthchecks`, each running container's healthcheck command
/// is also run (through exec) and its result kept.
pub fn inspect(
    host: &str,
    selector: &Selector,
    waits: Waits,
    exec_healthchecks: bool,
) -> Result<Inspection, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the Docker client: {e}"))?;
    runtime.block_on(inspect_async(host, selector, waits, exec_healthchecks))
}

async fn inspect_async(
    host: &str,
    selector: &Selector,
    waits: Waits,
    exec_healthchecks: bool,
) -> Result<Inspection, String> {
    let docker = connect(host, waits.call)?;
    timed(waits, "ping", docker.ping())
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
            waits,
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
    // A few at a time, in order: the first of duplicates is kept.
    let docker = &docker;
    let responses: Vec<(String, Result<ContainerInspectResponse, String>)> =
        futures_util::stream::iter(wanted)
            .map(|(key, shown)| async move {
                let what = format!("inspecting container {shown}");
                let response = timed(
                    waits,
                    &what,
                    docker.inspect_container(&key, None::<InspectContainerOptions>),
                )
                .await;
                (shown, response)
            })
            .buffered(PARALLEL_CONTAINERS)
            .collect()
            .await;
    let mut seen = std::collections::BTreeSet::new();
    let mut healthchecks = Vec::new();
    for (shown, response) in responses {
        let response = match response {
            Ok(r) => r,
            Err(e) => {
                out.errors.push((shown, e));
                continue;
            }
        };
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
        if let (true, Some((test, nanos))) = (exec_healthchecks && running, test) {
            // Docker's default healthcheck timeout is 30 s.
            let own = match nanos {
                n if n > 0 => Duration::from_nanos(n as u64),
                _ => Duration::from_secs(30),
            };
            healthchecks.push((out.containers.len(), id.clone(), test, own));
        }
        out.containers.push(Inspected {
            name,
            id,
            json,
            exec: None,
        });
    }
    let execs: Vec<(usize, Option<ExecResult>)> = futures_util::stream::iter(healthchecks)
        .map(|(index, id, test, own)| async move {
            (
                index,
                exec_healthcheck(docker, &id, &test, own, waits).await,
            )
        })
        .buffer_unordered(PARALLEL_CONTAINERS)
        .collect()
        .await;
    for (index, exec) in execs {
        out.containers[index].exec = exec;
    }
    out.containers.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Runs a healthcheck test (`["CMD", …]` or `["CMD-SHELL", "…"]`) in the
/// container, as Docker would, within its own timeout `own`, at most
/// [`MAX_EXEC_WAIT`] and never past the deadline. None for `NONE` or an
/// empty test.
async fn exec_healthcheck(
    docker: &Docker,
    id: &str,
    test: &[String],
    own: Duration,
    waits: Waits,
) -> Option<ExecResult> {
    use bollard::exec::{CreateExecOptions, StartExecResults};
    let cmd: Vec<String> = match test.split_first() {
        Some((kind, rest)) if kind == "CMD" && !rest.is_empty() => rest.to_vec(),
        Some((kind, rest)) if kind == "CMD-SHELL" && !rest.is_empty() => {
            vec!["/bin/sh".into(), "-c".into(), rest.join(" ")]
        }
        _ => return None,
    };
    let command = test.join(" ");
    let started = Instant::now();
    // Past the deadline a failure is no verdict.
    let failed = |error: String| ExecResult {
        command: command.clone(),
        exit_code: None,
        output: String::new(),
        millis: started.elapsed().as_millis() as u64,
        error: Some(error),
        stopped: Instant::now() >= waits.deadline,
    };
    let options = CreateExecOptions {
        cmd: Some(cmd),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        ..Default::default()
    };
    let created = match timed(waits, "creating the exec", docker.create_exec(id, options)).await {
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
                        Err(e) => return Err(too_large(&e).unwrap_or(e.to_string())),
                    }
                }
                Ok(output)
            }
            Ok(StartExecResults::Detached) => Ok(output),
            Err(e) => Err(e.to_string()),
        }
    };
    let left = waits.deadline.saturating_duration_since(Instant::now());
    let limit = own.min(MAX_EXEC_WAIT).min(left);
    let output = match tokio::time::timeout(limit, run).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => return Some(failed(format!("cannot run the healthcheck: {e}"))),
        // Dropping the call closes its connection; the command may go on.
        Err(_) if limit < own => {
            let why = if limit == left {
                past_deadline("the healthcheck", waits.stage)
            } else {
                format!(
                    "the healthcheck did not finish within {} s, the most policy waits for one (its own timeout is {} s); it may still run in the container, as the Engine API cannot stop it",
                    MAX_EXEC_WAIT.as_secs(),
                    own.as_secs_f64()
                )
            };
            return Some(ExecResult {
                stopped: true,
                ..failed(why)
            });
        }
        Err(_) => {
            return Some(failed(format!(
                "the healthcheck did not finish within {} s",
                limit.as_secs_f64()
            )))
        }
    };
    let millis = started.elapsed().as_millis() as u64;
    match timed(
        waits,
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
            stopped: false,
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

/// `WHAT did not finish within the runtime stage's 60 s; …`
pub fn past_deadline(what: &str, stage: Duration) -> String {
    format!(
        "{what} did not finish within the runtime stage's {} s; raise --runtime-timeout, or select fewer containers or probes",
        stage.as_secs_f64()
    )
}

/// How live containers are named in reports: `docker://NAME`.
pub const SCHEME: &str = "docker://";

/// Live containers as a source: each one's `docker inspect` JSON is a
/// document of kind `container`, named `docker://NAME`.
#[derive(Default)]
pub struct Live {
    pub loaded: Vec<Loaded>,
    /// Per-container errors, or the engine's when it cannot be reached.
    pub errors: Vec<FileError>,
    /// (`docker://NAME`, healthcheck run through exec).
    pub execs: Vec<(String, ExecResult)>,
}

/// Reads the selected containers through the engine at `host`.
pub fn read_live(host: &str, selector: &Selector, waits: Waits, exec: bool) -> Live {
    let error = |path: String, message: String| FileError {
        origin: Origin::Container,
        ..FileError::whole(path, message)
    };
    match inspect(host, selector, waits, exec) {
        Ok(found) => {
            let mut live = Live::default();
            for c in found.containers {
                let display = format!("{SCHEME}{}", c.name);
                if let Some(exec) = c.exec {
                    live.execs.push((display.clone(), exec));
                }
                live.loaded.push(Loaded::Text {
                    source: SourceFile::new(display, c.json),
                    kind: Some(&crate::kinds::CONTAINER),
                    explicit: true,
                    origin: Origin::Container,
                    context: None,
                });
            }
            live.errors = found
                .errors
                .into_iter()
                .map(|(name, message)| error(format!("{SCHEME}{name}"), message))
                .collect();
            live
        }
        Err(message) => Live {
            errors: vec![error(host.to_string(), message)],
            ..Default::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads from a peer that writes without end, through [`Capped`] with
    /// `already` bytes read by the run, until the read fails.
    fn read_endless(already: usize) -> (usize, String) {
        let (ours, mut theirs) = std::os::unix::net::UnixStream::pair().unwrap();
        std::thread::spawn(move || {
            use std::io::Write;
            let chunk = vec![b' '; 64 * 1024];
            while theirs.write_all(&chunk).is_ok() {}
        });
        ours.set_nonblocking(true).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut capped = Capped {
                stream: Stream::Unix(tokio::net::UnixStream::from_std(ours).unwrap()),
                read: 0,
                total: Arc::new(AtomicUsize::new(already)),
            };
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let mut read_buf = ReadBuf::new(&mut buf);
                let polled =
                    std::future::poll_fn(|cx| Pin::new(&mut capped).poll_read(cx, &mut read_buf))
                        .await;
                if let Err(e) = polled {
                    return (capped.read, too_large(&e).expect("a capped read"));
                }
            }
        })
    }

    #[test]
    fn reads_past_either_cap_fail() {
        let (read, message) = read_endless(0);
        assert!(read > MAX_RESPONSE_BYTES && read <= MAX_RESPONSE_BYTES + 64 * 1024);
        assert_eq!(
            message,
            "the engine's answer is larger than 32 MiB, the most policy reads from one call; check that --docker-host is a Docker engine, or select fewer containers with --container, --label or --compose-project"
        );
        let (read, message) = read_endless(MAX_ENGINE_BYTES - 1000);
        assert!(read <= 64 * 1024, "{read}");
        assert!(message.starts_with("the engine sent more than 256 MiB in all"));
    }
}
