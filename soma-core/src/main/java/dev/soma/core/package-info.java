/** Soma's core: the warehouse, the run store, errors and text helpers shared by every module. */
package dev.soma.core;
