/** {@code soma serve}: starts the HTTP face of soma-server on the project and its database. */
package dev.soma.cli.serve;
