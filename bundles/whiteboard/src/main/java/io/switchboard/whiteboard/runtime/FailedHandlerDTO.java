package io.switchboard.whiteboard.runtime;

/** A handler service the whiteboard cannot use. */
public class FailedHandlerDTO extends HandlerDTO {
    /** Why, for people: an invalid route, an invalid endpoint target, a service that could not be got. */
    public String reason;
}
