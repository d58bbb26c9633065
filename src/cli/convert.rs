//! The command line turned into the library's plain types: the one place clap's structs
//! meet `config`, `session`, `sandbox` and `webhook`.

use std::time::Duration;

use super::{DemoArgs, GlobalArgs, ListenArgs, SandboxArgs};
use crate::config::Overrides;
use crate::sandbox::{DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID, DEFAULT_SEED, SandboxConfig};
use crate::session::DemoOptions;
use crate::webhook::ListenOptions;

impl From<&GlobalArgs> for Overrides {
    fn from(g: &GlobalArgs) -> Overrides {
        Overrides {
            config: g.config.clone(),
            profile: g.profile.clone(),
            demo: g.demo,
            read_only: g.read_only,
            sdkappid: g.sdkappid,
            identifier: g.identifier.clone(),
            region: g.region.clone(),
            endpoint: g.endpoint.clone(),
            budget: g.budget,
            log_level: g.log_level.clone(),
            store_dir: g.store_dir.clone(),
        }
    }
}

impl From<&DemoArgs> for DemoOptions {
    fn from(d: &DemoArgs) -> DemoOptions {
        DemoOptions {
            latency_ms: d.latency,
            jitter_ms: d.jitter,
            fail_rate: d.fail_rate,
            activity: d.activity,
        }
    }
}

impl From<&ListenArgs> for ListenOptions {
    fn from(a: &ListenArgs) -> ListenOptions {
        ListenOptions {
            bind: a.bind,
            token: a.token.clone(),
            record: a.record.clone(),
            max_age: a.max_age,
            store: match (a.store, a.no_store) {
                (_, true) => Some(false),
                (true, false) => Some(true),
                (false, false) => None,
            },
        }
    }
}

impl SandboxArgs {
    /// The sandbox `tim-receipts sandbox` runs: these options, with the SDKAppID from the
    /// global `--sdkappid`.
    pub fn to_config(&self, global: &GlobalArgs) -> SandboxConfig {
        let ms = |v: Option<u64>| Duration::from_millis(v.unwrap_or(0));
        SandboxConfig {
            listen: self.listen,
            sdkappid: global.sdkappid.unwrap_or(DEFAULT_SDKAPPID),
            key: self.key.clone().unwrap_or_else(|| DEFAULT_KEY.to_string()),
            admin: self
                .admin
                .clone()
                .unwrap_or_else(|| DEFAULT_ADMIN.to_string()),
            seed: self.seed.unwrap_or(DEFAULT_SEED),
            latency: ms(self.faults.latency),
            jitter: ms(self.faults.jitter),
            fail_rate: self.faults.fail_rate.unwrap_or(0.0),
            activity: self.faults.activity.unwrap_or(0.0),
            callback_url: self.callback_url.clone(),
            callback_token: self.callback_token.clone(),
            ..SandboxConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    #[test]
    fn times_on_the_command_line() {
        use crate::cli::time_arg;
        assert_eq!(time_arg("1670574414"), Ok(1_670_574_414_000));
        assert_eq!(time_arg("2022-12-09T08:26:54.123Z"), Ok(1_670_574_414_123));
        assert_eq!(time_arg("2022-12-09T16:26:54+08:00"), Ok(1_670_574_414_000));
        assert!(time_arg("yesterday").unwrap_err().contains("RFC 3339"));
    }

    #[test]
    fn every_flag_reaches_its_plain_type() {
        let cli = Cli::parse_from([
            "tim-receipts",
            "--profile=p",
            "--read-only",
            "--sdkappid=7",
            "--identifier=ops",
            "--region=tokyo",
            "--endpoint=http://127.0.0.1:1",
            "--budget=9",
            "--log-level=debug",
            "--latency=5",
            "--jitter=6",
            "--fail-rate=0.5",
            "--activity=2",
            "sandbox",
            "--key=k",
            "--seed=3",
        ]);
        let o = Overrides::from(&cli.global);
        assert_eq!(o.profile.as_deref(), Some("p"));
        assert!(o.read_only && !o.demo);
        assert_eq!(o.sdkappid, Some(7));
        assert_eq!(o.identifier.as_deref(), Some("ops"));
        assert_eq!(o.region.as_deref(), Some("tokyo"));
        assert_eq!(o.endpoint.as_deref(), Some("http://127.0.0.1:1"));
        assert_eq!(o.budget, Some(9));
        assert_eq!(o.log_level.as_deref(), Some("debug"));
        let d = DemoOptions::from(&cli.demo_opts);
        assert_eq!((d.latency_ms, d.jitter_ms), (Some(5), Some(6)));
        assert_eq!((d.fail_rate, d.activity), (Some(0.5), Some(2.0)));
        let Some(Command::Sandbox(args)) = &cli.command else {
            panic!("not the sandbox command");
        };
        let c = args.to_config(&cli.global);
        assert_eq!((c.sdkappid, c.key.as_str(), c.seed), (7, "k", 3));
        assert_eq!(c.admin, DEFAULT_ADMIN);
    }
}
