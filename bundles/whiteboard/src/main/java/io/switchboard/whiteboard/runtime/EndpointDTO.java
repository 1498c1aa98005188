package io.switchboard.whiteboard.runtime;

import java.util.Map;

import org.osgi.dto.DTO;

/** One running endpoint. */
public class EndpointDTO extends DTO {
    public String name;
    public String host;
    public int port;
    public boolean secure;
    /** Live connections per route path. */
    public Map<String, Integer> connectionsPerRoute;
}
