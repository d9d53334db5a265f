/**
 * The {@code soma} command: parses flags, calls the library, prints results. Holds no logic an
 * embedding application would need; that lives in the library modules.
 */
package dev.soma.cli;
