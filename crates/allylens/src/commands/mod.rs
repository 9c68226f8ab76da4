//! One module per subcommand.

pub mod assess;
mod clauses;
mod flights;
mod history;
pub mod reach;
pub mod reconstruct;

use crate::cli::Command;

pub fn run(cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::Reconstruct(a) => reconstruct::run(&a),
        Command::Flights(a) => flights::run(&a),
        Command::Reach(a) => reach::run(&a),
        Command::Assess(a) => assess::run(&a),
        Command::Compare(a) => assess::compare(&a),
        Command::Clauses(a) => clauses::run(&a),
        Command::Serve(a) => crate::server::serve(a.addr, &a.db),
    }
}
