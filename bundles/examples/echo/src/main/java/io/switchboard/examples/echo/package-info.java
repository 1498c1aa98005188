/**
 * The echo example: every message sent back to its sender
 * ({@link io.switchboard.examples.echo.EchoHandler}), and the page with its JavaScript client
 * ({@link io.switchboard.examples.echo.EchoPage}).
 */
package io.switchboard.examples.echo;
