/**
 * {@code soma windows}: the ledger of windowed models (gaps, failures and windows out of audit first),
 * {@code soma windows reset}, and the {@code --windows FROM..TO} option of {@code run} and {@code build}.
 */
package dev.soma.cli.windows;
