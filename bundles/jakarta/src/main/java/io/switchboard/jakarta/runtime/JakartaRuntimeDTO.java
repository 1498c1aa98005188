package io.switchboard.jakarta.runtime;

import org.osgi.dto.DTO;

/** The Jakarta whiteboard at one moment. */
public class JakartaRuntimeDTO extends DTO {
    /** Endpoint services deployed, each served by a native handler service. */
    public JakartaEndpointDTO[] endpoints;
    /** Endpoint services that could not be deployed, with the reason. */
    public FailedJakartaEndpointDTO[] failedEndpoints;
}
