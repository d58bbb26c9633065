//! The receiver under a connection flood on loopback: idle sockets and slowloris clients
//! are closed by the header timeout, connections beyond the cap are refused at once
//! (newest first), and signed callbacks are answered throughout.

use std::time::Instant;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

use super::*;

const IDLE: usize = 300;
const SLOW: usize = 200;
/// Short so the test is quick; the default is 10 s.
const HEADER: Duration = Duration::from_secs(3);
/// How often a slowloris client sends one more header line.
const DRIBBLE: Duration = Duration::from_millis(100);

/// Let this process open the sockets of both ends (a few soft limits are 1,024).
fn raise_fd_limit(want: u64) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit on our own process with a valid struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < want {
            limit.rlim_cur = want.min(limit.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// A signed callback as raw HTTP/1.1.
fn signed_request() -> String {
    format!(
        "POST /tim?{} HTTP/1.1\r\nHost: receiver\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{SEED_SAMPLE}",
        receipt_query_signed(),
        SEED_SAMPLE.len()
    )
}

/// One HTTP/1.1 connection, read answer by answer.
struct Conn(BufReader<TcpStream>);

impl Conn {
    async fn open(addr: std::net::SocketAddr) -> Conn {
        Conn(BufReader::new(TcpStream::connect(addr).await.unwrap()))
    }

    /// Send `request`, read one answer: its status and body. `None` if the connection was
    /// closed or reset first.
    async fn exchange(&mut self, request: &str) -> Option<(u16, String)> {
        self.0.get_mut().write_all(request.as_bytes()).await.ok()?;
        self.answer().await
    }

    async fn answer(&mut self) -> Option<(u16, String)> {
        let mut line = String::new();
        if self.0.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let status: u16 = line.split(' ').nth(1)?.parse().ok()?;
        let mut length = 0;
        loop {
            line.clear();
            if self.0.read_line(&mut line).await.ok()? == 0 {
                return None;
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok()?;
            }
        }
        let mut body = vec![0; length];
        self.0.read_exact(&mut body).await.ok()?;
        Some((status, String::from_utf8_lossy(&body).into_owned()))
    }
}

/// Wait until the server closes `stream` (EOF or reset); when that was, or `None` if it
/// was still open at `deadline`.
async fn closed_by_server(mut stream: TcpStream, deadline: Instant) -> Option<Instant> {
    let mut buf = [0u8; 512];
    let left = deadline.saturating_duration_since(Instant::now());
    let waited = tokio::time::timeout(left, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return Instant::now(),
                Ok(_) => {} // a 503 before the close
            }
        }
    });
    waited.await.ok()
}

/// A slowloris client on `stream`: a request line, then one header line every `DRIBBLE`,
/// never the blank line. When the server closed it, or `None` if still open at `deadline`.
async fn slowloris(stream: TcpStream, deadline: Instant) -> Option<Instant> {
    let (mut read, mut write) = stream.into_split();
    let _ = write
        .write_all(b"POST /tim?SdkAppid=1 HTTP/1.1\r\nHost: receiver\r\n")
        .await;
    let mut ticks = tokio::time::interval(DRIBBLE);
    let mut buf = [0u8; 512];
    loop {
        tokio::select! {
            read = read.read(&mut buf) => match read {
                Ok(0) | Err(_) => return Some(Instant::now()),
                Ok(_) => {}
            },
            _ = ticks.tick() => {
                if Instant::now() >= deadline {
                    return None;
                }
                // A failed write means the server is gone; the read above says when.
                let _ = write.write_all(b"X-Slow: 1\r\n").await;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_callbacks_are_answered_through_a_connection_flood() {
    raise_fd_limit(4096);
    let (tx, mut rx) = mpsc::channel(1024);
    let config = ReceiverConfig {
        sdkappid: APP,
        token: Some(TOKEN.into()),
        header_timeout: HEADER,
        ..ReceiverConfig::default()
    };
    let cap = config.max_connections;
    assert_eq!(cap, webhook::DEFAULT_MAX_CONNECTIONS);
    assert_eq!(cap, 256);
    let receiver = webhook::start(config, "127.0.0.1:0".parse().unwrap(), tx)
        .await
        .unwrap();
    let addr = receiver.addr();

    // The service's persistent connection, open before the flood.
    let mut service = Conn::open(addr).await;
    let ok = service.exchange(&signed_request()).await;
    assert_eq!(ok.as_ref().map(|a| a.0), Some(200), "{ok:?}");

    // The flood: slowloris clients, then idle sockets; the service keeps calling.
    let started = Instant::now();
    let deadline = started + HEADER + DEADLINE;
    let mut slow = JoinSet::new();
    for _ in 0..SLOW {
        let stream = TcpStream::connect(addr).await.unwrap();
        slow.spawn(slowloris(stream, deadline));
    }
    let mut idle = Vec::with_capacity(IDLE);
    for i in 0..IDLE {
        idle.push(TcpStream::connect(addr).await.unwrap());
        if i % 100 == 99 {
            let answer = tokio::time::timeout(HEADER, service.exchange(&signed_request())).await;
            assert!(
                matches!(answer, Ok(Some((200, _)))),
                "the persistent connection was not answered during the flood: {answer:?}"
            );
        }
    }
    let answer = tokio::time::timeout(HEADER, service.exchange(&signed_request())).await;
    assert!(
        matches!(answer, Ok(Some((200, _)))),
        "the persistent connection was not answered during the flood: {answer:?}"
    );
    let stats = receiver.stats();
    assert!(
        stats.connections_open <= cap as u64,
        "{} connections open, over the cap of {cap}",
        stats.connections_open
    );

    // While the flood holds the cap, a new connection is refused at once (newest first).
    // (Only checkable while the flood's first sockets are younger than the header timeout.)
    if started.elapsed() < HEADER / 2 {
        let mut fresh = Conn::open(addr).await;
        let answer = tokio::time::timeout(HEADER / 2, fresh.answer())
            .await
            .expect("a connection over the cap waited for an answer");
        if let Some((status, body)) = &answer {
            assert_eq!(*status, 503, "{body}");
            assert!(body.contains("\"ErrorCode\":50301"), "{body}");
        }
        assert!(
            receiver.stats().connections_refused >= (SLOW + IDLE - (cap - 1)) as u64,
            "{:?}",
            receiver.stats()
        );
    } else {
        eprintln!(
            "the flood took {:?} to open: refusal check skipped",
            started.elapsed()
        );
    }

    // A signed callback on a new connection gets through within a few seconds: the header
    // timeout frees the flood's slots. (A refused attempt is retried, like a sender would.)
    let mut attempts = 0;
    let answered = loop {
        attempts += 1;
        let mut conn = Conn::open(addr).await;
        let answer = tokio::time::timeout(HEADER, conn.exchange(&signed_request())).await;
        match answer {
            Ok(Some((200, body))) => break body,
            Ok(Some((503, _)) | None) | Err(_) => {}
            Ok(other) => panic!("unexpected answer {other:?}"),
        }
        assert!(
            started.elapsed() < HEADER * 3,
            "no signed callback answered in {:?} ({attempts} attempts)",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        serde_json::from_str::<Value>(&answered).unwrap(),
        ok_envelope()
    );

    // Every flood socket was closed by the server within the header timeout (and a margin
    // for a loaded machine), dribbling or not.
    let mut idle_closed = JoinSet::new();
    for stream in idle {
        idle_closed.spawn(closed_by_server(stream, deadline));
    }
    let limit = HEADER * 3;
    let mut held = 0;
    for result in idle_closed
        .join_all()
        .await
        .into_iter()
        .chain(slow.join_all().await)
    {
        match result {
            Some(when) if when.duration_since(started) <= limit => {}
            _ => held += 1,
        }
    }
    assert_eq!(held, 0, "{held} flood connections were held past {limit:?}");
    while rx.try_recv().is_ok() {}

    let stats = tokio::time::timeout(DEADLINE, receiver.shutdown())
        .await
        .expect("shutdown took too long");
    assert!(stats.accepted >= 6, "{stats:?}");
    assert!(stats.connections_refused > 0, "{stats:?}");
}
