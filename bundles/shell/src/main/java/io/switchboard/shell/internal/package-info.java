/**
 * The {@code switchboard:*} commands of the Apache Karaf shell. Karaf's shell extender finds the
 * actions and completers here through the bundle's {@code Karaf-Commands} header and injects the
 * whiteboard's services into their {@code @Reference} fields; nothing here is exported.
 */
package io.switchboard.shell.internal;
