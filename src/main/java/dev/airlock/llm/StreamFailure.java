package dev.airlock.llm;

/**
 * A failure the transport itself detected, passed through LangChain4j to the client as the cause of
 * its error callback. Messages hold no content of the reply: they may be printed and audited.
 */
final class StreamFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    enum Why {
        /** The stream or body ended before the provider's end marker. */
        CUT_SHORT,
        /** Something arrived that is not the provider's wire format. */
        NOT_WIRE_FORMAT,
        /** The provider sent an error object inside an otherwise successful stream. */
        PROVIDER_ERROR,
        /** The calling thread was interrupted. */
        CANCELLED
    }

    private final Why why;

    StreamFailure(Why why, String message) {
        super(message, null, false, false);
        this.why = why;
    }

    Why why() {
        return why;
    }
}
