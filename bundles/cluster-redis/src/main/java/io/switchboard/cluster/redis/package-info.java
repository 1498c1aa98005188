/**
 * Relays the broadcast topics of several Switchboard nodes through Redis pub/sub: a message sent
 * to a topic on any node reaches the topic's members on every node. See {@link
 * io.switchboard.cluster.redis.RedisBroadcaster} for the semantics.
 */
@Export
@Version("0.1.0")
package io.switchboard.cluster.redis;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
