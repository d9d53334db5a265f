/**
 * Terminal output for the CLI: whether standard output is an interactive terminal, and a progress bar
 * that redraws in place there and falls back to plain lines everywhere else (pipes, CI, tests).
 */
package dev.soma.cli.console;
