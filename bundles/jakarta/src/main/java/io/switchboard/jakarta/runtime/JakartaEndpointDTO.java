package io.switchboard.jakarta.runtime;

import org.osgi.dto.DTO;

/** One Jakarta endpoint service. */
public class JakartaEndpointDTO extends DTO {
    /** The id of the endpoint service. */
    public long serviceId;
    public long bundleId;
    /** Its path or URI template, such as {@code /rooms/{room}}; null if it has none. */
    public String path;
    /** The class of its endpoint objects; null if the service could not be got. */
    public String endpointClass;
    /** The id of the native {@code ConnectionHandler} service that serves it; 0 when it failed. */
    public long handlerServiceId;
}
