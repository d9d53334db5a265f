/** Text for people: closest-name suggestions for messages that end with the fix. */
package dev.soma.core.text;
