package io.switchboard.whiteboard;

import org.osgi.annotation.versioning.ProviderType;

import io.switchboard.whiteboard.runtime.RuntimeDTO;

/**
 * What the whiteboard is doing now: every endpoint, and every handler service with the state it
 * is in — bound, shadowed by a better one, or failed and why.
 */
@ProviderType
public interface SwitchboardRuntime {
    RuntimeDTO runtime();
}
