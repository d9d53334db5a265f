/**
 * Settings rules shared by every module: {@link dev.soma.core.config.Threads}, the one range of a
 * thread count. Imports only {@code dev.soma.core.error}.
 */
package dev.soma.core.config;
