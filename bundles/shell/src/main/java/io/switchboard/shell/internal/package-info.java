/**
 * The {@code switchboard:*} commands for two shells: the Apache Karaf shell, whose extender finds
 * the actions and completers here through the bundle's {@code Karaf-Commands} header and injects
 * the whiteboard's services into their {@code @Reference} fields, and Apache Felix Gogo, which
 * calls the functions of the {@link io.switchboard.shell.internal.GogoCommands} service. Both
 * print through {@link io.switchboard.shell.internal.Commands}. Nothing here is exported.
 */
package io.switchboard.shell.internal;
