package io.switchboard.jakarta.runtime;

/** A Jakarta endpoint service that could not be deployed. */
public class FailedJakartaEndpointDTO extends JakartaEndpointDTO {
    /** Why: the deployment error (the method and what is wrong with it), a missing path, a service that could not be got. */
    public String reason;
}
