//! Resolving each setting from its sources: the endpoint (flag, environment, profile;
//! URL or region) and its standby, the secret key and the webhook token.

use std::path::{Path, PathBuf};

use anyhow::bail;

use super::check;
use super::file::{ConfigPath, Profile};
use super::overrides::Overrides;
use super::regions::{Region, region, region_names};
use super::sourced::{Secret, Source, Sourced};

/// An http(s) base URL without a trailing slash, and its `host[:port]` label.
fn parse_url(url: &str, what: &str) -> anyhow::Result<(String, String)> {
    let url = url.trim().trim_end_matches('/').to_string();
    let parsed = reqwest::Url::parse(&url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
    let Some(parsed) = parsed else {
        bail!(
            "{what} {url:?} is not an http(s) URL: use e.g. https://adminapisgp.im.qcloud.com or http://127.0.0.1:8080"
        );
    };
    // Credentials in the URL would be shown by `config` and sent to the host; the Chat
    // API authenticates with the UserSig alone.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        let mut shown = parsed.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        bail!(
            "{what} holds a user name or password ({shown} with them removed): remove them; the Chat API needs none in the URL"
        );
    }
    let label = match parsed.port() {
        Some(port) => format!("{}:{port}", parsed.host_str().unwrap_or("?")),
        None => parsed.host_str().unwrap_or("?").to_string(),
    };
    Ok((url, label))
}

/// The endpoint, and its region when it was given as one.
type Endpoint = (Sourced<(String, String)>, Option<&'static Region>);

pub(super) fn resolve_endpoint(
    global: &Overrides,
    env: &dyn Fn(&str) -> Option<String>,
    p: &Profile,
    pname: &str,
    file_name: &str,
) -> anyhow::Result<Option<Endpoint>> {
    let explicit = |url: &str, source: Source, what: &str| -> anyhow::Result<Endpoint> {
        Ok((Sourced::new(parse_url(url, what)?, source), None))
    };
    let named = |name: &str, source: Source, what: &str| -> anyhow::Result<Endpoint> {
        match region(name) {
            Some(r) => Ok((
                Sourced::new((r.endpoint.to_string(), r.label.to_string()), source),
                Some(r),
            )),
            None => bail!(
                "{what} {name:?} is not a known region: use one of {} (or set an endpoint URL)",
                region_names()
            ),
        }
    };
    if let Some(url) = &global.endpoint {
        return explicit(url, Source::Flag("--endpoint"), "--endpoint").map(Some);
    }
    if let Some(r) = &global.region {
        return named(r, Source::Flag("--region"), "--region").map(Some);
    }
    if let Some(url) = env("TIM_ENDPOINT") {
        return explicit(&url, Source::Env("TIM_ENDPOINT".into()), "TIM_ENDPOINT").map(Some);
    }
    if let Some(r) = env("TIM_REGION") {
        return named(&r, Source::Env("TIM_REGION".into()), "TIM_REGION").map(Some);
    }
    if let Some(url) = &p.endpoint {
        let what = format!("{file_name}: profiles.{pname}.endpoint");
        return explicit(url, Source::Profile(format!("{pname}.endpoint")), &what).map(Some);
    }
    if let Some(r) = &p.region {
        let what = format!("{file_name}: profiles.{pname}.region");
        return named(r, Source::Profile(format!("{pname}.region")), &what).map(Some);
    }
    Ok(None)
}

/// The standby domain: the profile's `standby_endpoint` ("" = none), else the region's
/// (none for Tokyo, or for an endpoint given as a URL).
pub(super) fn resolve_standby(
    p: &Profile,
    pname: &str,
    file_name: &str,
    region: Option<&'static Region>,
) -> anyhow::Result<Sourced<Option<String>>> {
    match &p.standby_endpoint {
        Some(url) => {
            let source = Source::Profile(format!("{pname}.standby_endpoint"));
            if url.trim().is_empty() {
                return Ok(Sourced::new(None, source));
            }
            let what = format!("{file_name}: profiles.{pname}.standby_endpoint");
            let (url, _) = parse_url(url, &what)?;
            Ok(Sourced::new(Some(url), source))
        }
        None => Ok(Sourced::new(
            region.and_then(|r| r.standby).map(str::to_string),
            Source::Default,
        )),
    }
}

pub(super) fn resolve_key(
    env: &dyn Fn(&str) -> Option<String>,
    p: &Profile,
    pname: &str,
    config: Option<&ConfigPath>,
) -> Result<Sourced<Secret>, String> {
    if let Some(k) = env("TIM_SECRET_KEY") {
        return Ok(Sourced::new(
            Secret::new(k.trim()),
            Source::Env("TIM_SECRET_KEY".into()),
        ));
    }
    let file_name = config
        .map(|c| c.path.display().to_string())
        .unwrap_or_default();
    let set = [
        p.secret_key.is_some(),
        p.secret_key_env.is_some(),
        p.secret_key_file.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if set > 1 {
        return Err(format!(
            "{file_name}: profiles.{pname} sets more than one of secret_key, secret_key_env, secret_key_file: keep exactly one"
        ));
    }
    if let Some(k) = &p.secret_key {
        return non_empty(k, format!("{pname}.secret_key"), || {
            format!(
                "{file_name}: profiles.{pname}.secret_key is empty: paste the app's key from the Chat console"
            )
        });
    }
    if let Some(var) = &p.secret_key_env {
        return match env(var) {
            Some(k) => non_empty(&k, format!("{pname}.secret_key_env ({var})"), String::new),
            None => Err(format!(
                "{file_name}: profiles.{pname}.secret_key_env names {var}, which is not set: export {var}=<key> or use secret_key_file"
            )),
        };
    }
    if let Some(path) = &p.secret_key_file {
        let path = expand_path(path, config.map(|c| c.path.as_path()));
        return check::read_key_file(&path).and_then(|k| {
            non_empty(
                &k,
                format!("{pname}.secret_key_file ({})", path.display()),
                || {
                    format!(
                        "key file {} is empty: put the app's key in it",
                        path.display()
                    )
                },
            )
        });
    }
    Err(format!(
        "no secret key for profile {pname:?}: set TIM_SECRET_KEY, or secret_key_file / secret_key_env / secret_key in {}",
        if file_name.is_empty() {
            "the config file".into()
        } else {
            file_name
        }
    ))
}

fn non_empty(
    k: &str,
    what: String,
    empty_msg: impl Fn() -> String,
) -> Result<Sourced<Secret>, String> {
    let k = k.trim();
    if k.is_empty() {
        let msg = empty_msg();
        Err(if msg.is_empty() {
            format!("{what} is empty")
        } else {
            msg
        })
    } else {
        Ok(Sourced::new(Secret::new(k), Source::Profile(what)))
    }
}

pub(super) fn resolve_webhook_token(
    env: &dyn Fn(&str) -> Option<String>,
    p: &Profile,
    pname: &str,
    file_name: &str,
) -> Result<Option<Sourced<Secret>>, String> {
    if let Some(t) = env("TIM_WEBHOOK_TOKEN") {
        return Ok(Some(Sourced::new(
            Secret::new(t.trim()),
            Source::Env("TIM_WEBHOOK_TOKEN".into()),
        )));
    }
    match (&p.webhook_token, &p.webhook_token_env) {
        (Some(_), Some(_)) => Err(format!(
            "{file_name}: profiles.{pname}.webhook_token and profiles.{pname}.webhook_token_env are both set: keep one"
        )),
        (Some(t), None) => Ok(Some(Sourced::new(
            Secret::new(t.trim()),
            Source::Profile(format!("{pname}.webhook_token")),
        ))),
        (None, Some(var)) => match env(var) {
            Some(t) => Ok(Some(Sourced {
                value: Secret::new(t.trim()),
                source: Source::Profile(format!("{pname}.webhook_token_env ({var})")),
            })),
            None => Err(format!(
                "{file_name}: profiles.{pname}.webhook_token_env names {var}, which is not set: export {var}=<token> or use webhook_token"
            )),
        },
        (None, None) => Ok(None),
    }
}

/// `~/x` → home/x; a relative path is relative to the config file's directory.
pub fn expand_path(path: &Path, config_file: Option<&Path>) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~")
        && let Some(home) = directories::BaseDirs::new()
    {
        return home.home_dir().join(rest);
    }
    if path.is_relative()
        && let Some(dir) = config_file.and_then(Path::parent)
    {
        return dir.join(path);
    }
    path.to_path_buf()
}
