// jemalloc, not the system allocator: a buffer's pages that were never
// written stay unresident, and each open stream holds two 8 KB hyper buffers
// it barely writes (docs/performance.md, memory per idle stream).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() {
    std::process::exit(tapin::cli::run().await);
}
