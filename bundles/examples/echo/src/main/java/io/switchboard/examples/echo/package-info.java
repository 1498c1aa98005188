/** The echo example: every message sent back to its sender. */
package io.switchboard.examples.echo;
