/** The synthetic publishing data generator. */
package dev.soma.generator;
