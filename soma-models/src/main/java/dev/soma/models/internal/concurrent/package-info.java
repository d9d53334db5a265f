/** Small concurrency building blocks the engine shares: computing a value once per key without holding locks. */
package dev.soma.models.internal.concurrent;
