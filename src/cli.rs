//! The admin CLI, in the same binary as the server.

use crate::config::Config;
use crate::service::{self, keys, links, orgs, App};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "tapin",
    version,
    about = "Self-hosted human-in-the-loop desk for AI agents"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Create the database if needed and apply migrations.
    Migrate,
    /// Organizations.
    Org {
        #[command(subcommand)]
        cmd: OrgCmd,
    },
    /// API keys for agents.
    #[command(name = "api-key")]
    ApiKey {
        #[command(subcommand)]
        cmd: ApiKeyCmd,
    },
    /// Operator accounts.
    Operator {
        #[command(subcommand)]
        cmd: OperatorCmd,
    },
    /// Print a signed single-use mobile link for an operator.
    Link {
        handoff_id: String,
        #[arg(long)]
        operator: String,
        /// Lifetime in seconds (default: link_ttl_seconds from the config).
        #[arg(long)]
        ttl: Option<i64>,
        /// `approve` or `deny`: print an approval's one-tap decide link (as in
        /// approval emails) instead of the open link.
        #[arg(long)]
        decide: Option<String>,
    },
    /// The hash-chained audit log.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// Benchmarks: starts this binary as a server on loopback and measures it.
    Bench {
        /// Seconds, small N; fails only on errors (the test suite runs this).
        #[arg(long)]
        quick: bool,
        /// Also section 6: the same reads at 1×, 10× and 100× the data (minutes).
        #[arg(long)]
        scale: bool,
    },
    /// Bridge an MCP client that speaks stdio to a tapin server's `/mcp`
    /// (JSON-RPC on stdin and stdout; logs on stderr).
    Mcp {
        /// The tapin server's base URL, such as https://tapin.example.com.
        #[arg(long, env = "TAPIN_URL")]
        url: String,
        /// An API key (tk_…) with the scopes the tools need.
        #[arg(long, env = "TAPIN_API_KEY")]
        key: String,
    },
}

#[derive(Subcommand)]
enum OrgCmd {
    Create {
        slug: String,
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum ApiKeyCmd {
    /// Creates a key and prints it once; only its hash is stored.
    Create {
        #[arg(long)]
        org: String,
        /// Comma-separated: read, handoffs:write, approvals:write, approvals:decide, admin
        #[arg(long)]
        scopes: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// Revokes a key (by id or by the first 12 characters of the key).
    Revoke {
        #[arg(long)]
        org: String,
        key: String,
    },
}

#[derive(Subcommand)]
enum OperatorCmd {
    Create {
        #[arg(long)]
        org: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Repeat for several roles.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Enables password sign-in at /login (`-` reads it from standard input).
        #[arg(long)]
        password: Option<String>,
    },
    /// Sets (or replaces) an operator's sign-in password.
    SetPassword {
        #[arg(long)]
        org: String,
        #[arg(long)]
        email: String,
        /// The password; `-` (the default) reads it from standard input.
        #[arg(long, default_value = "-")]
        password: String,
    },
}

/// `-` means "read it from standard input" (keeps it out of shell history).
fn read_password(arg: &str) -> Result<String, String> {
    if arg != "-" {
        return Ok(arg.to_string());
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("reading the password: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Recompute every organization's hash chain (or one) and the content its
    /// events cover, and fail on any break.
    Verify {
        #[arg(long)]
        org: Option<String>,
        /// A file from `tapin audit checkpoint`: also check that each chain
        /// still passes through the head signed there.
        #[arg(long)]
        checkpoint: Option<std::path::PathBuf>,
    },
    /// Print (or write to --out) every organization's chain head, signed with
    /// a key derived from the master key. Keep it away from the database.
    Checkpoint {
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Print an organization's audit events with their hashes (JSON Lines or CSV).
    Export {
        #[arg(long)]
        org: String,
        /// RFC 3339; events created at or after it.
        #[arg(long)]
        from: Option<String>,
        /// RFC 3339; events created before it.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: ExportFormatArg,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormatArg {
    Jsonl,
    Csv,
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TAPIN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Runs the CLI; returns the process exit code.
pub async fn run() -> i32 {
    let cli = Cli::parse();
    init_tracing();
    // The bridge needs no configuration (nor a database): only the server's URL and a key.
    if let Some(Command::Mcp { url, key }) = &cli.command {
        return match crate::mcp::bridge::run(url, key).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("tapin mcp: {e}");
                1
            }
        };
    }
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tapin: configuration error: {e}");
            return 2;
        }
    };
    match execute(cli.command.unwrap_or(Command::Serve), config).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tapin: {e}");
            1
        }
    }
}

async fn app(config: Config) -> Result<App, String> {
    let store = crate::store::open(&config.database_url).await?;
    App::new(store, config).await
}

async fn execute(cmd: Command, config: Config) -> Result<i32, String> {
    let err = |e: crate::error::AppError| match e.fields.first() {
        Some(f) => format!("{}: {}", f.field, f.message),
        None => e.message,
    };
    match cmd {
        Command::Serve => crate::server::serve(config).await.map(|_| 0),
        Command::Bench { quick, scale } => crate::bench::run(quick, scale, &config.site_root).await,
        // Normally bridged by `run` before the configuration is read.
        Command::Mcp { url, key } => crate::mcp::bridge::run(&url, &key).await.map(|_| 0),
        Command::Migrate => {
            let url = crate::store::printable_url(&config.database_url);
            app(config).await?;
            println!("database {url} is up to date");
            Ok(0)
        }
        Command::Org {
            cmd: OrgCmd::Create { slug, name },
        } => {
            let app = app(config).await?;
            let org = orgs::create_org(&app, &slug, name.as_deref())
                .await
                .map_err(err)?;
            println!("{}", org.id);
            Ok(0)
        }
        Command::ApiKey {
            cmd: ApiKeyCmd::Create { org, scopes, name },
        } => {
            let app = app(config).await?;
            let org = orgs::org_by_slug(&app, &org).await.map_err(err)?;
            let scopes = keys::parse_scopes(&scopes).map_err(err)?;
            let (plain, _) = keys::create(&app, &org.id, &name, scopes)
                .await
                .map_err(err)?;
            eprintln!("store this key now: it is shown once");
            println!("{plain}");
            Ok(0)
        }
        Command::ApiKey {
            cmd: ApiKeyCmd::Revoke { org, key },
        } => {
            let app = app(config).await?;
            let org = orgs::org_by_slug(&app, &org).await.map_err(err)?;
            let prefix: String = key.chars().take(12).collect();
            let target = if key.starts_with("tk_") {
                prefix.as_str()
            } else {
                key.as_str()
            };
            keys::revoke(&app, &org.id, target).await.map_err(err)?;
            println!("revoked");
            Ok(0)
        }
        Command::Operator {
            cmd:
                OperatorCmd::Create {
                    org,
                    email,
                    name,
                    roles,
                    password,
                },
        } => {
            let app = app(config).await?;
            let org = orgs::org_by_slug(&app, &org).await.map_err(err)?;
            let password = password.as_deref().map(read_password).transpose()?;
            if let Some(p) = &password {
                crate::service::passwords::hash(p).map_err(err)?;
            }
            let op = orgs::create_operator(&app, &org.id, &email, &name, roles)
                .await
                .map_err(err)?;
            if let Some(p) = password {
                crate::service::passwords::set(&app, &op, &p)
                    .await
                    .map_err(err)?;
            }
            println!("{}", op.id);
            Ok(0)
        }
        Command::Operator {
            cmd:
                OperatorCmd::SetPassword {
                    org,
                    email,
                    password,
                },
        } => {
            let app = app(config).await?;
            let org = orgs::org_by_slug(&app, &org).await.map_err(err)?;
            let op = orgs::operator_by_email(&app, &org.id, &email)
                .await
                .map_err(err)?
                .ok_or("no operator with that email in this organization")?;
            crate::service::passwords::set(&app, &op, &read_password(&password)?)
                .await
                .map_err(err)?;
            println!("password set");
            Ok(0)
        }
        Command::Link {
            handoff_id,
            operator,
            ttl,
            decide,
        } => {
            let ttl = ttl.unwrap_or(config.link_ttl_seconds);
            if ttl <= 0 {
                return Err("--ttl must be positive".into());
            }
            let app = app(config).await?;
            let id = service::parse_id(&handoff_id, "handoff").map_err(err)?;
            let h = service::handoffs::find_any_org(&app, &id)
                .await
                .map_err(err)?
                .ok_or("handoff not found")?;
            let op = orgs::operator_by_email(&app, &h.organization_id, &operator)
                .await
                .map_err(err)?
                .filter(|o| o.active)
                .ok_or("no active operator with that email in the handoff's organization")?;
            let link = match decide.as_deref() {
                None => links::sign(&app, &h.id, &op.id, ttl).map_err(err)?,
                Some(which @ ("approve" | "deny")) => {
                    if h.kind != crate::domain::Kind::Approval {
                        return Err("--decide needs an approval".into());
                    }
                    let pair =
                        service::decide_links::sign_pair(&app, &h.id, &op.id, ttl).map_err(err)?;
                    if which == "approve" {
                        pair.approve
                    } else {
                        pair.deny
                    }
                }
                Some(_) => return Err("--decide is `approve` or `deny`".into()),
            };
            println!("{link}");
            Ok(0)
        }
        Command::Audit {
            cmd: AuditCmd::Verify { org, checkpoint },
        } => {
            let checkpoint = match checkpoint {
                Some(path) => {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    let cp: crate::domain::audit::Checkpoint = serde_json::from_str(&text)
                        .map_err(|e| format!("{}: not a tapin checkpoint: {e}", path.display()))?;
                    Some(cp)
                }
                None => None,
            };
            let app = app(config).await?;
            let results = service::audit::verify(&app, org.as_deref(), checkpoint.as_ref())
                .await
                .map_err(err)?;
            if let Some(cp) = &checkpoint {
                println!("checkpoint of {}: signature valid", cp.created_at);
            }
            let mut broken = 0;
            for v in results {
                match v.result {
                    Ok(n) => println!("ok      {}: {n} events, chain intact", v.org.slug),
                    Err(e) => {
                        broken += 1;
                        eprintln!("BROKEN  {}: {e}", v.org.slug);
                    }
                }
            }
            if broken > 0 {
                eprintln!("audit verification FAILED for {broken} organization(s)");
                Ok(1)
            } else {
                Ok(0)
            }
        }
        Command::Audit {
            cmd: AuditCmd::Checkpoint { out },
        } => {
            let app = app(config).await?;
            let cp = service::audit::checkpoint(&app).await.map_err(err)?;
            let text = format!(
                "{}\n",
                serde_json::to_string_pretty(&cp).expect("a checkpoint serializes")
            );
            match out {
                Some(path) => {
                    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                    eprintln!(
                        "signed the heads of {} organization(s) into {}",
                        cp.organizations.len(),
                        path.display()
                    );
                }
                None => print!("{text}"),
            }
            Ok(0)
        }
        Command::Audit {
            cmd:
                AuditCmd::Export {
                    org,
                    from,
                    to,
                    format,
                },
        } => {
            use futures::StreamExt;
            use std::io::Write;
            let app = app(config).await?;
            let org = service::orgs::org_by_slug(&app, &org).await.map_err(err)?;
            let range =
                service::audit::TimeRange::parse(from.as_deref(), to.as_deref()).map_err(err)?;
            let format = match format {
                ExportFormatArg::Jsonl => service::audit::ExportFormat::Jsonl,
                ExportFormatArg::Csv => service::audit::ExportFormat::Csv,
            };
            let mut rows = Box::pin(service::audit::export(app, org.id, range, format));
            let mut out = std::io::stdout().lock();
            while let Some(chunk) = rows.next().await {
                out.write_all(chunk.map_err(err)?.as_bytes())
                    .map_err(|e| e.to_string())?;
            }
            out.flush().map_err(|e| e.to_string())?;
            Ok(0)
        }
    }
}
