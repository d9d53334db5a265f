/** Small pieces for work handed to other threads. */
package dev.soma.core.concurrent;
