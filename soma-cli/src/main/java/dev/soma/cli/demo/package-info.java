/** {@code soma demo}: generate, build and test the bundled project, then report what it found. */
package dev.soma.cli.demo;
