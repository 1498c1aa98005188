package io.switchboard.jakarta.runtime;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The Jakarta whiteboard at one moment. Whether a deployed endpoint is bound or shadowed on an
 * endpoint is the native runtime's ({@code SwitchboardRuntime}) to say, under the id of its
 * handler service.
 */
@ProviderType
public interface JakartaRuntime {
    JakartaRuntimeDTO runtime();
}
