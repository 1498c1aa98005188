package io.switchboard.whiteboard.runtime;

import org.osgi.dto.DTO;

/** The whiteboard at one moment. */
public class RuntimeDTO extends DTO {
    public EndpointDTO[] endpoints;
    /** Handlers that serve at least one route on at least one endpoint. */
    public HandlerDTO[] boundHandlers;
    /** Valid handlers that serve nothing because a better one holds each of their routes. */
    public HandlerDTO[] shadowedHandlers;
    /** Handlers the whiteboard cannot use, with the reason. */
    public FailedHandlerDTO[] failedHandlers;
    /** Outbound connections that bundles opened through the {@code SwitchboardClient} service and that are open. */
    public ClientConnectionDTO[] clientConnections;
}
