# CLI basics: the command table, usage errors and exit codes.

t_version() {
    run version
    expect_rc 0
    expect_out "kaoshi 0.1.0"
}

t_unknown_command_is_usage_error() {
    run frobnicate
    expect_rc 2
    expect_err "kaoshi: unknown command 'frobnicate'
Try 'kaoshi --help'."
}

t_help_lists_commands() {
    run --help
    expect_rc 0
    expect_out_has "version"
}
