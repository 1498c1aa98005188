package io.switchboard.whiteboard.runtime;

import org.osgi.dto.DTO;

/** One open outbound connection of the {@code SwitchboardClient} service. */
public class ClientConnectionDTO extends DTO {
    /** The connection's {@code Connection.id()}, unique among inbound and outbound ones. */
    public long id;
    /** The URI it was opened to, such as {@code wss://example.com/feed}. */
    public String uri;
    /** The address its socket is connected to: the server's, or the proxy's when tunnelled. */
    public String remoteAddress;
    /** The bundle that opened it. */
    public long bundleId;
}
