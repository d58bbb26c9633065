//! The HTTP side: one route `POST /v4/{service}/{command}`, the envelope, and the order in
//! which a call is processed: half the latency → route → injected fault → frequency limit →
//! authentication → body → handler (under the world lock, no await) → envelope → the rest
//! of the latency.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use super::auth::{Credentials, authenticate};
use super::callbacks::CallbackQueue;
use super::faults::{FaultKind, Faults};
use super::fields::{self, ApiErr, Body};
use super::handlers::{
    Ctx, Reply, group as handlers_group, joined as handlers_joined, openim as handlers_openim,
    presence as handlers_presence, profile as handlers_profile, receipt as handlers_receipt,
    recentcontact as handlers_recent,
};
use super::ratelimit::Limiter;
use super::world::World;
use crate::vendor::{Endpoint, codes};

/// Every endpoint the sandbox serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Api {
    GroupList,
    GroupInfo,
    MemberInfo,
    SpecifiedMemberInfo,
    MsgGetSimple,
    SendGroupMsg,
    Receipt,
    ReceiptDetail,
    MsgReceipt,
    SetUnread,
    AdminSetMsgRead,
    C2cUnread,
    PortraitGet,
    OnlineStatus,
    JoinedGroups,
    RecentContacts,
}

impl Api {
    pub const ALL: [Api; 16] = [
        Api::GroupList,
        Api::GroupInfo,
        Api::MemberInfo,
        Api::SpecifiedMemberInfo,
        Api::MsgGetSimple,
        Api::SendGroupMsg,
        Api::Receipt,
        Api::ReceiptDetail,
        Api::MsgReceipt,
        Api::SetUnread,
        Api::AdminSetMsgRead,
        Api::C2cUnread,
        Api::PortraitGet,
        Api::OnlineStatus,
        Api::JoinedGroups,
        Api::RecentContacts,
    ];

    /// The table's entry for this API (its name, path and documented limit).
    pub fn endpoint(self) -> &'static Endpoint {
        use crate::vendor::endpoints as ep;
        match self {
            Api::GroupList => &ep::GROUP_LIST,
            Api::GroupInfo => &ep::GROUP_INFO,
            Api::MemberInfo => &ep::MEMBER_INFO,
            Api::SpecifiedMemberInfo => &ep::SPECIFIED_MEMBER_INFO,
            Api::MsgGetSimple => &ep::HISTORY,
            Api::SendGroupMsg => &ep::SEND,
            Api::Receipt => &ep::GET_RECEIPT,
            Api::ReceiptDetail => &ep::GET_RECEIPT_DETAIL,
            Api::MsgReceipt => &ep::SEND_RECEIPT,
            Api::SetUnread => &ep::SET_UNREAD,
            Api::AdminSetMsgRead => &ep::MARK_READ,
            Api::C2cUnread => &ep::C2C_UNREAD,
            Api::PortraitGet => &ep::PORTRAIT_GET,
            Api::OnlineStatus => &ep::ONLINE_STATUS,
            Api::JoinedGroups => &ep::JOINED_GROUPS,
            Api::RecentContacts => &ep::RECENT_CONTACTS,
        }
    }

    /// `service/command`.
    pub fn path(self) -> &'static str {
        self.endpoint().route()
    }

    fn find(service: &str, command: &str) -> Result<Api, ApiErr> {
        let route = format!("{service}/{command}");
        if let Some(api) = Api::ALL.into_iter().find(|a| a.path() == route) {
            return Ok(api);
        }
        Err(match service {
            "group_open_http_svc" => ApiErr::new(
                codes::GROUP_BAD_COMMAND,
                format!("invalid command word {command:?} (not served by this sandbox)"),
            ),
            _ => ApiErr::new(
                codes::BAD_RESOURCE,
                format!("bad request resource v4/{service}/{command}: check the URL"),
            ),
        })
    }

    /// The codes this API's service answers for a body it cannot parse and for an
    /// invalid field: (bad JSON, invalid parameter).
    fn body_codes(self) -> (i64, i64) {
        match self.endpoint().service {
            "openim" => (fields::OPENIM_BAD_JSON, fields::PUBLIC_INVALID),
            "profile" => (codes::PROFILE_INVALID, codes::PROFILE_INVALID),
            "recentcontact" => (codes::RECENT_INVALID, codes::RECENT_INVALID),
            _ => (fields::GROUP_BAD_JSON, fields::GROUP_INVALID),
        }
    }
}

pub(crate) struct AppState {
    pub creds: Credentials,
    pub world: Mutex<World>,
    pub limiter: Limiter,
    pub faults: Faults,
    pub stall: std::time::Duration,
    pub callbacks: Option<CallbackQueue>,
    pub cancel: CancellationToken,
}

impl AppState {
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/v4/{service}/{command}", post(handle))
        .fallback(|| async {
            envelope_response(
                Err(ApiErr::new(
                    codes::BAD_RESOURCE,
                    "bad request resource: use POST /v4/{service}/{command}",
                )),
                false,
            )
        })
        .with_state(state)
}

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn envelope(result: Reply, action1: bool) -> Value {
    match result {
        Ok(mut fields) => {
            let status_key = if action1 {
                "Action1Status"
            } else {
                "ActionStatus"
            };
            fields.insert(status_key.into(), json!("OK"));
            fields.insert("ErrorCode".into(), json!(0));
            fields.insert("ErrorInfo".into(), json!(""));
            Value::Object(fields)
        }
        Err(e) => json!({"ActionStatus": "FAIL", "ErrorCode": e.code, "ErrorInfo": e.info}),
    }
}

fn envelope_response(result: Reply, action1: bool) -> Response {
    json_response(StatusCode::OK, envelope(result, action1).to_string())
}

/// The injected round trip: half of it before the call is processed (the way in), the
/// rest after (the way back), so the sandbox's own work happens within it, as a real
/// service's does within its round trip. The way back ends on time to well under a
/// millisecond: tokio's timer wakes on whole milliseconds (about 1.2 ms late on average),
/// so its last stretch is slept by a blocking thread, whose sleep is precise.
async fn handle(
    State(st): State<Arc<AppState>>,
    Path((service, command)): Path<(String, String)>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    body: Bytes,
) -> Response {
    let delay = st.faults.delay();
    if delay.is_zero() {
        return respond(&st, &service, &command, query, &body).await;
    }
    let end = std::time::Instant::now() + delay;
    tokio::time::sleep(delay / 2).await;
    let response = respond(&st, &service, &command, query, &body).await;
    sleep_until_precisely(end).await;
    response
}

/// Sleep until `end`: on tokio's timer until 2 ms before, then on a blocking thread.
async fn sleep_until_precisely(end: std::time::Instant) {
    let coarse = end.checked_sub(std::time::Duration::from_millis(2));
    if let Some(coarse) = coarse.filter(|c| *c > std::time::Instant::now()) {
        tokio::time::sleep_until(coarse.into()).await;
    }
    if end <= std::time::Instant::now() {
        return;
    }
    let fine = tokio::task::spawn_blocking(move || {
        let now = std::time::Instant::now();
        if end > now {
            std::thread::sleep(end - now);
        }
    });
    // A runtime shutting down cancels the blocking task: the answer goes out as it is.
    let _ = fine.await;
}

async fn respond(
    st: &AppState,
    service: &str,
    command: &str,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    body: &[u8],
) -> Response {
    let api = match Api::find(service, command) {
        Ok(api) => api,
        Err(e) => return envelope_response(Err(e), false),
    };
    let fault = st.faults.roll();
    match fault {
        Some(FaultKind::Internal) => {
            return envelope_response(
                Err(ApiErr::new(
                    codes::INTERNAL,
                    "internal server error (injected fault); try again",
                )),
                false,
            );
        }
        Some(FaultKind::FrequencyLimit) => {
            return envelope_response(
                Err(ApiErr::new(
                    super::ratelimit::FREQUENCY_LIMIT,
                    "REST API call frequency limit exceeded (injected fault); retry later",
                )),
                false,
            );
        }
        Some(FaultKind::BadGateway) => {
            return (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
            )
                .into_response();
        }
        Some(FaultKind::Stall) => {
            tokio::select! {
                () = tokio::time::sleep(st.stall) => {}
                () = st.cancel.cancelled() => {}
            }
        }
        Some(FaultKind::Truncated) | None => {}
    }
    let result = process(st, api, query, body);
    let text = envelope(result, api == Api::SetUnread).to_string();
    if fault == Some(FaultKind::Truncated) {
        let mut cut = text.len() / 2;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        return json_response(StatusCode::OK, text[..cut].to_string());
    }
    json_response(StatusCode::OK, text)
}

fn process(
    st: &AppState,
    api: Api,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    body: &[u8],
) -> Reply {
    st.limiter.check(api.path())?;
    let Query(query) = query.map_err(|_| {
        ApiErr::new(
            codes::HTTP_PARSE,
            "HTTP parse error: check the URL query string",
        )
    })?;
    authenticate(&query, &st.creds, crate::usersig::now_unix())?;
    let (bad_json, invalid) = api.body_codes();
    let body = Body::parse(body, bad_json, invalid)?;
    let mut ctx = Ctx {
        admin: &st.creds.admin,
        sdkappid: st.creds.sdkappid,
        events: Vec::new(),
    };
    let reply = {
        let mut world = st.world();
        let w = &mut *world;
        match api {
            Api::GroupList => handlers_group::get_appid_group_list(w, &body),
            Api::GroupInfo => handlers_group::get_group_info(w, &body, &ctx),
            Api::MemberInfo => handlers_group::get_group_member_info(w, &body),
            Api::SpecifiedMemberInfo => handlers_group::get_specified_group_member_info(w, &body),
            Api::MsgGetSimple => handlers_group::group_msg_get_simple(w, &body),
            Api::SendGroupMsg => handlers_group::send_group_msg(w, &body, &ctx),
            Api::Receipt => handlers_receipt::get_group_msg_receipt(w, &body),
            Api::ReceiptDetail => handlers_receipt::get_group_msg_receipt_detail(w, &body),
            Api::MsgReceipt => handlers_receipt::group_msg_receipt(w, &body, &mut ctx),
            Api::SetUnread => handlers_receipt::set_unread_msg_num(w, &body),
            Api::AdminSetMsgRead => handlers_openim::admin_set_msg_read(w, &body),
            Api::C2cUnread => handlers_openim::get_c2c_unread_msg_num(w, &body),
            Api::PortraitGet => handlers_profile::portrait_get(w, &body),
            Api::OnlineStatus => handlers_presence::query_online_status(w, &body),
            Api::JoinedGroups => handlers_joined::get_joined_group_list(w, &body, &ctx),
            Api::RecentContacts => handlers_recent::get_list(w, &body),
        }
    };
    if let Some(queue) = &st.callbacks {
        for event in ctx.events.drain(..) {
            queue.push(event, "RESTAPI");
        }
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::Api;
    use crate::vendor::ENDPOINTS;

    /// The sandbox serves exactly the table: every route it answers is an entry, and every
    /// entry (each one the client calls) has a route.
    #[test]
    fn the_routes_are_the_endpoint_table() {
        for api in Api::ALL {
            let ep = api.endpoint();
            assert!(
                ENDPOINTS.iter().any(|e| e.path == ep.path),
                "{api:?} serves {} which is not in the table",
                ep.path
            );
            let route = api.path();
            let (service, command) = route.split_once('/').unwrap_or((route, ""));
            assert_eq!(Api::find(service, command).ok(), Some(api), "{route}");
        }
        for ep in ENDPOINTS {
            assert!(
                Api::ALL.iter().any(|a| a.endpoint().path == ep.path),
                "{} is in the table but the sandbox does not serve it",
                ep.path
            );
        }
        assert!(Api::find("openim", "nope").is_err());
    }
}
