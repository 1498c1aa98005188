package io.switchboard.codec;

/**
 * Which end of the connection this codec instance speaks for. Clients mask every frame they send
 * and servers mask none (RFC 6455 §5.1), so the role decides what a received frame must look like.
 */
public enum Role {
    /** Receives masked frames and sends unmasked ones. */
    SERVER,
    /** Receives unmasked frames and sends masked ones. */
    CLIENT;

    boolean expectsMaskedFrames() {
        return this == SERVER;
    }
}
