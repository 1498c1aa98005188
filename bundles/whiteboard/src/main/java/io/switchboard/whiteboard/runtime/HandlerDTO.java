package io.switchboard.whiteboard.runtime;

import org.osgi.dto.DTO;

/** One handler service as the whiteboard sees it. */
public class HandlerDTO extends DTO {
    public long serviceId;
    public int ranking;
    public long bundleId;
    public String[] routes;
    /** The endpoints it holds at least one route on (empty for a shadowed handler). */
    public String[] endpoints;
    public boolean blocking;
    public boolean adoptsLiveConnections;
}
