package io.kmq;

/** The bytes of a marker key or value do not follow the format of {@link MarkerCodec}. */
public class MalformedMarkerException extends KmqException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what was wrong with which bytes. */
    public MalformedMarkerException(String message) {
        super(message);
    }
}
