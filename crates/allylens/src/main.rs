//! The `allylens` binary: parses the command line, runs one command, and maps
//! the outcome to an exit code: 0 success, 1 a computation that failed,
//! 2 bad input (a flag, a value, a file). Errors are one line on stderr.

use std::process::ExitCode;

use allylens::{cli, run};
use clap::Parser;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                };
            }
            // one line: clap's first line names the flag and the value
            let text = e.render().to_string();
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let mut first = lines
                .next()
                .unwrap_or("error: invalid arguments")
                .to_string();
            if first.ends_with(':') {
                // "the following required arguments were not provided:" names them on the next lines
                let names: Vec<&str> = lines
                    .take_while(|l| l.starts_with("--") || l.starts_with('<'))
                    .collect();
                first = format!("{first} {}", names.join(", "));
            }
            eprintln!("{first} (see --help)");
            return ExitCode::from(2);
        }
    };
    match run::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "error: {}",
                report::view::text_clean(&e.message).replace('\n', " ")
            );
            ExitCode::from(e.exit_code())
        }
    }
}
