"""One module per `atelier` subcommand: `add_parser(subparsers)` and `run(args) -> int`."""
