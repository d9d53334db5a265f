/**
 * Terminal output for the CLI: whether standard output is an interactive terminal, a progress bar
 * that redraws in place there and falls back to plain lines everywhere else (pipes, CI, tests), and
 * {@link dev.soma.cli.console.TextTable}, the one text table every command prints.
 */
package dev.soma.cli.console;
