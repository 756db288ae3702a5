#[tokio::main]
async fn main() {
    std::process::exit(tapin::cli::run().await);
}
